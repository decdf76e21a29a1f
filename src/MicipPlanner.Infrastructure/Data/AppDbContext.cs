using System.Collections.Concurrent;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MicipPlanner.Infrastructure.Data;

/// <remarks>
/// Instances are pooled (one options-only constructor): the web app rents one per request and sets who is acting and
/// the clock each time (<see cref="DatabaseSetup.AddAppDatabase"/>), so nothing of one request survives into the next.
/// </remarks>
public class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>Who the audit trail names as the author of changes.</summary>
    public ICurrentUser CurrentUser { get; set; } = new NoCurrentUser();

    /// <summary>The time the audit trail records.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<District> Districts => Set<District>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<FacilitatorAssignment> FacilitatorAssignments => Set<FacilitatorAssignment>();
    public DbSet<Cycle> Cycles => Set<Cycle>();
    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<RatingGroup> RatingGroups => Set<RatingGroup>();
    public DbSet<RatingGroupMember> RatingGroupMembers => Set<RatingGroupMember>();
    public DbSet<RubricRating> RubricRatings => Set<RubricRating>();
    public DbSet<ConsensusRating> ConsensusRatings => Set<ConsensusRating>();
    public DbSet<DiscussionNote> DiscussionNotes => Set<DiscussionNote>();
    public DbSet<ConsequenceExample> ConsequenceExamples => Set<ConsequenceExample>();
    public DbSet<OutcomeReflection> OutcomeReflections => Set<OutcomeReflection>();
    public DbSet<ActionItem> ActionItems => Set<ActionItem>();

    public DbSet<BalanceTemplate> BalanceTemplates => Set<BalanceTemplate>();
    public DbSet<BalanceTemplateItem> BalanceTemplateItems => Set<BalanceTemplateItem>();
    public DbSet<TemplateTransition> TemplateTransitions => Set<TemplateTransition>();

    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Network> Networks => Set<Network>();
    public DbSet<NetworkMembership> NetworkMemberships => Set<NetworkMembership>();
    public DbSet<PracticeNote> PracticeNotes => Set<PracticeNote>();
    public DbSet<Workshop> Workshops => Set<Workshop>();
    public DbSet<WorkshopParticipant> WorkshopParticipants => Set<WorkshopParticipant>();

    /// <summary>
    /// Column of Districts raised in the same transaction as every save that changes one of the district's records:
    /// a page may reuse data it read for the district while the number it reads with the permission check is unchanged.
    /// </summary>
    public const string DataVersion = "DataVersion";

    /// <summary>When false (bulk import, data generator) no audit entries are written.</summary>
    public bool AuditEnabled { get; set; } = true;

    /// <summary>When true, added records keep the version they carry (restoring a backup).</summary>
    public bool PreserveVersions { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in exports and in the database, stable if reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);

        // SQLite cannot order or compare DateTimeOffset values stored as text; all our times are UTC,
        // so a sortable binary form keeps queries identical on both providers.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = SqliteWriteGate();
        gate?.Wait();
        try
        {
            return SaveChangesCore(acceptAllChangesOnSuccess);
        }
        finally
        {
            gate?.Release();
        }
    }

    private int SaveChangesCore(bool acceptAllChangesOnSuccess)
    {
        var pending = PrepareSave();
        var districts = ChangedDistricts();
        if (pending.Count == 0 && districts.Count == 0) return base.SaveChanges(acceptAllChangesOnSuccess);

        // The change, its audit rows and the district's data version are written in one transaction so none exists
        // without the others.
        using var ownTransaction = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        int result;
        if (KeysKnown(pending))
        {
            var audit = AuditTrail.Complete(pending, DistrictOf).ToList();
            AuditEntries.AddRange(audit);
            result = base.SaveChanges(acceptAllChangesOnSuccess) - audit.Count;
        }
        else
        {
            result = base.SaveChanges(acceptAllChangesOnSuccess);
            AuditEntries.AddRange(AuditTrail.Complete(pending, DistrictOf).ToList());
            base.SaveChanges(acceptAllChangesOnSuccess);
        }
        foreach (var districtId in districts) Database.ExecuteSql(RaiseDataVersion(districtId));
        ownTransaction?.Commit();
        return result;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = SqliteWriteGate();
        if (gate is not null) await gate.WaitAsync(cancellationToken);
        try
        {
            return await SaveChangesCoreAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate?.Release();
        }
    }

    // SQLite lets one writer in at a time; a writer that finds the file locked sleeps and retries, which under
    // concurrent autosaves costs far more than the write itself. Saves of one process to one SQLite file wait
    // their turn here instead (an explicit transaction already holds the lock and is not gated again).
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriteGates = new();

    private SemaphoreSlim? SqliteWriteGate() =>
        Database.CurrentTransaction is null && Database.IsSqlite()
            ? SqliteWriteGates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1))
            : null;

    private async Task<int> SaveChangesCoreAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var pending = PrepareSave();
        var districts = ChangedDistricts();
        if (pending.Count == 0 && districts.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        await using var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        int result;
        if (KeysKnown(pending))
        {
            var audit = AuditTrail.Complete(pending, DistrictOf).ToList();
            AuditEntries.AddRange(audit);
            result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) - audit.Count;
        }
        else
        {
            result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            AuditEntries.AddRange(AuditTrail.Complete(pending, DistrictOf).ToList());
            await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        foreach (var districtId in districts) await Database.ExecuteSqlAsync(RaiseDataVersion(districtId), cancellationToken);
        if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Changes and deletions only (an autosave): every record's key is known, so its audit rows go in the same batch
    /// of commands. A new record gets its key only on insert, so its audit rows need a second round.
    /// </summary>
    private static bool KeysKnown(List<AuditDraft> pending) => pending.All(d => d.Action != AuditAction.Create);

    /// <summary>
    /// Districts whose records this save adds, changes or deletes (a new district has no id yet and nothing cached).
    /// Read before saving: deleted records still carry their district then.
    /// </summary>
    private HashSet<int> ChangedDistricts()
    {
        var districts = new HashSet<int>();
        foreach (var entry in ChangeTracker.Entries<Entity>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var districtId = entry.Entity is IDistrictOwned owned ? owned.DistrictId : DistrictOf(entry.Entity);
            if (districtId is > 0) districts.Add(districtId.Value);
        }
        return districts;
    }

    // Plain SQL that reads the same on SQLite and SQL Server: it runs inside the write (and the SQLite write gate) of
    // every save, where a LINQ ExecuteUpdate cost a visible share of the save's time.
    private static FormattableString RaiseDataVersion(int districtId) =>
        $"UPDATE Districts SET DataVersion = DataVersion + 1 WHERE Id = {districtId}";

    /// <summary>District of a record that does not carry one: a rating group member belongs to its group's district.</summary>
    private int? DistrictOf(Entity entity) => entity switch
    {
        RatingGroupMember member => ChangeTracker.Entries<RatingGroup>().FirstOrDefault(g => g.Entity.Id == member.RatingGroupId)?.Entity.DistrictId
            ?? RatingGroups.Where(g => g.Id == member.RatingGroupId).Select(g => (int?)g.DistrictId).FirstOrDefault(),
        _ => null,
    };

    private List<AuditDraft> PrepareSave()
    {
        ChangeTracker.DetectChanges();
        foreach (var entry in ChangeTracker.Entries<Entity>())
        {
            if (entry.State is EntityState.Modified || (entry.State is EntityState.Added && !PreserveVersions))
                entry.Entity.Version = Guid.NewGuid();
        }
        return AuditEnabled ? AuditTrail.Collect(ChangeTracker, CurrentUser.UserId, CurrentUser.Via, Clock.GetUtcNow()) : [];
    }
}
