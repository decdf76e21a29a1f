using System.Collections.Concurrent;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
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
        if (pending.Count == 0) return base.SaveChanges(acceptAllChangesOnSuccess);

        // The change and its audit rows are written in one transaction so neither exists without the other.
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
        if (pending.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

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
        if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Changes and deletions only (an autosave): every record's key is known, so its audit rows go in the same batch
    /// of commands. A new record gets its key only on insert, so its audit rows need a second round.
    /// </summary>
    private static bool KeysKnown(List<AuditDraft> pending) => pending.All(d => d.Action != AuditAction.Create);

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
        return AuditEnabled ? AuditTrail.Collect(ChangeTracker, CurrentUser.UserId, Clock.GetUtcNow()) : [];
    }
}
