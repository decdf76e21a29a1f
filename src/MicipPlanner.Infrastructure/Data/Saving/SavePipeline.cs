using System.Globalization;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace MicipPlanner.Infrastructure.Data.Saving;

/// <summary>
/// What every save of <see cref="AppDbContext"/> does besides writing the records, step by step in the order it runs:
/// the changes are detected once; added and changed records get a new <see cref="Entity.Version"/>; the audit trail
/// reads the old values of changed and deleted records; the records are written (one <c>SaveChanges</c>); then, in the
/// same transaction, the audit rows go in (those of new records read now, with their keys), and the data version of
/// every district the save touched, the figures version of every network whose benchmarks it can change and the chart
/// version of every measure whose run chart it changes rise. The
/// districts and records wait on the context until the transaction commits (<see cref="CommitPublisher"/>).
/// </summary>
/// <remarks>
/// One instance serves every pooled context of one set of options, so it keeps nothing of a save: the person acting
/// and the time are read at each save, and the save's own state is a local <see cref="Work"/>. A record's district is
/// found by the one rule <see cref="DistrictPath"/>, which a model test holds every table to.
/// </remarks>
public sealed class SavePipeline(ICurrentUser user, TimeProvider clock)
{
    internal int Save(AppDbContext db, Func<int> write)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        try
        {
            var work = Prepare(db);
            using var transaction = work.NeedsTransaction && db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null;
            var written = write();
            foreach (var (sql, parameters) in Complete(db, work)) db.Database.ExecuteSqlRaw(sql, parameters);
            Announce(db, work);
            transaction?.Commit();
            return written;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    internal async Task<int> SaveAsync(AppDbContext db, Func<Task<int>> write, CancellationToken cancellationToken)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        try
        {
            var work = Prepare(db);
            await using var transaction = work.NeedsTransaction && db.Database.CurrentTransaction is null
                ? await db.Database.BeginTransactionAsync(cancellationToken)
                : null;
            var written = await write();
            foreach (var (sql, parameters) in Complete(db, work)) await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
            Announce(db, work);
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return written;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>The steps before the records are written, in one pass over the changed records.</summary>
    private Work Prepare(AppDbContext db)
    {
        // 1. Detect the changes once (callers that switch automatic detection off, the data generator, still get theirs
        // seen); nothing after this step changes a record except through its entry, so EF need not look again.
        db.ChangeTracker.DetectChanges();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var work = new Work(db.AuditEnabled, user.UserId, user.Via, clock.GetUtcNow());
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            // 2. What moves network figures (before the save: a deleted district's memberships go with it), and which
            // measures' charts the save changes.
            NoteFigures(db, entry, work);
            NoteChart(entry, work);
            if (entry.Entity is not Entity) continue;
            // 3. A new version, the token the next autosave of the record sends back (a restored backup keeps its own).
            if (entry.State is EntityState.Modified || (entry.State is EntityState.Added && !db.PreserveVersions))
                entry.Property(nameof(Entity.Version)).CurrentValue = Guid.NewGuid();
            // 4. The record's audit fields and its district: a deleted or changed record's old values and a deleted
            // record's district are read now; a new record's (and a changed one's district) once the keys are real.
            var action = entry.State switch
            {
                EntityState.Added => AuditAction.Create,
                EntityState.Modified => AuditAction.Update,
                _ => AuditAction.Delete,
            };
            var change = new Change(entry, action)
            {
                Fields = work.Audited && action != AuditAction.Create ? AuditTrail.Fields(entry, action) : null,
                District = action == AuditAction.Delete ? DistrictPath.DistrictOf(entry) : null,
            };
            work.Changes.Add(change);
        }
        return work;
    }

    /// <summary>
    /// The steps after the records are written, in their transaction: the statements that write the audit rows and
    /// raise the districts' data versions and the networks' figures versions.
    /// </summary>
    private static IEnumerable<(string Sql, object[] Parameters)> Complete(AppDbContext db, Work work)
    {
        // 5. Every changed record's district, by the one rule (a new record's keys are real now).
        foreach (var change in work.Changes.Where(c => c.Action != AuditAction.Delete)) change.District = DistrictPath.DistrictOf(change.Entry);

        // 6. The audit rows, one INSERT for the save.
        var rows = new List<AuditRow>();
        if (work.Audited)
        {
            foreach (var change in work.Changes)
            {
                var fields = change.Fields ?? AuditTrail.Fields(change.Entry, change.Action);
                var entity = (Entity)change.Entry.Entity;
                var district = change.District is > 0 ? change.District : null;
                var id = entity.Id.ToString(CultureInfo.InvariantCulture);
                rows.AddRange(fields.Select(f => new AuditRow(district, work.UserId, work.Via, work.At, entity.GetType().Name, id, change.Action,
                    f.Field, f.Old, f.New)));
            }
        }
        foreach (var insert in AuditTrail.Inserts(db, rows)) yield return insert;

        // 7. The data version of every district the save touched. Plain SQL: it runs inside the write (and the SQLite
        // write gate) of every save, where a LINQ ExecuteUpdate cost a visible share of the save's time. Names are quoted
        // as standard SQL does, which all three providers read the same (PostgreSQL folds unquoted names to lower case).
        foreach (var districtId in work.Districts)
            yield return ("""UPDATE "Districts" SET "DataVersion" = "DataVersion" + 1 WHERE "Id" = {0}""", [districtId]);

        // 8. The figures version of every network whose benchmarks the save can change.
        foreach (var networkId in work.FigureNetworks.Select(id => id()).Distinct())
            yield return ("""UPDATE "Networks" SET "FiguresVersion" = "FiguresVersion" + 1 WHERE "Id" = {0}""", [networkId]);
        foreach (var districtId in work.FigureDistricts.Select(id => id()).Distinct())
            yield return ("""UPDATE "Networks" SET "FiguresVersion" = "FiguresVersion" + 1 WHERE "Id" IN (SELECT "NetworkId" FROM "NetworkMemberships" WHERE "DistrictId" = {0})""", [districtId]);

        // 9. The chart version of every measure of the lines whose charts the save changes (a carried measure's chart shows
        // its line's earlier years first; a line is keyed by its first measure), a command per at most 500 measures (SQL
        // Server takes 2,100 parameters).
        foreach (var ids in work.ChartMeasures.Order().Chunk(500))
            yield return ($"""UPDATE "PlanMeasures" SET "ChartVersion" = "ChartVersion" + 1 WHERE COALESCE("HistoryMeasureId", "Id") IN (SELECT COALESCE("HistoryMeasureId", "Id") FROM "PlanMeasures" WHERE "Id" IN ({string.Join(", ", ids.Select((_, i) => $"{{{i}}}"))}))""",
                ids.Cast<object>().ToArray());
    }

    /// <summary>
    /// A value, interim target or phase change of a measure added, changed or removed changes its run chart (ADR 29);
    /// check-ins, activities and the measure's own fields (which renew its version) do not.
    /// </summary>
    private static void NoteChart(EntityEntry entry, Work work)
    {
        switch (entry.Entity)
        {
            case PlanMeasureValue value:
                work.ChartMeasures.Add(value.MeasureId);
                break;
            case PlanMeasureTarget target:
                work.ChartMeasures.Add(target.MeasureId);
                break;
            case PlanMeasurePhase phase:
                work.ChartMeasures.Add(phase.MeasureId);
                break;
        }
    }

    /// <summary>10. The districts and records the save touched wait on the context for the transaction's commit.</summary>
    private static void Announce(AppDbContext db, Work work)
    {
        db.DistrictsAwaitingCommit.UnionWith(work.Districts);
        db.RecordsAwaitingCommit.AddRange(work.Changes.Where(c => c.District is > 0).Select(c => c.Entry.Entity));
    }

    /// <summary>
    /// A district joins or leaves a network, a member district turns sharing on or off, or a member's rubric is
    /// finalized, reopened or finalized again (a finalized rubric's consensus cannot change until it is reopened).
    /// Everyday saves (ratings, templates, notes) leave the figures alone, so the network page's kept counts survive them.
    /// </summary>
    private static void NoteFigures(AppDbContext db, EntityEntry entry, Work work)
    {
        switch (entry.Entity)
        {
            case NetworkMembership membership when entry.State is EntityState.Added or EntityState.Deleted:
                work.FigureNetworks.Add(() => membership.NetworkId);
                break;
            case District district when entry.State == EntityState.Modified && entry.Property(nameof(District.SharesWithNetworks)).IsModified:
                work.FigureDistricts.Add(() => district.Id);
                break;
            case District district when entry.State == EntityState.Deleted:
                foreach (var networkId in db.NetworkMemberships.Where(m => m.DistrictId == district.Id).Select(m => m.NetworkId).ToList())
                    work.FigureNetworks.Add(() => networkId);
                break;
            case Cycle cycle when FinalizationMoves(entry):
                work.FigureDistricts.Add(() => cycle.DistrictId);
                break;
        }
    }

    private static bool FinalizationMoves(EntityEntry entry)
    {
        var finalized = entry.Property(nameof(Cycle.RubricFinalizedAt));
        return entry.State switch
        {
            EntityState.Added => finalized.CurrentValue is not null,
            EntityState.Modified => finalized.IsModified,
            EntityState.Deleted => finalized.OriginalValue is not null,
            _ => false,
        };
    }

    /// <summary>One save's state, from the steps before the write to those after it.</summary>
    private sealed class Work(bool audited, string? userId, string? via, DateTimeOffset at)
    {
        public bool Audited { get; } = audited;
        public string? UserId { get; } = userId;
        public string? Via { get; } = via;
        public DateTimeOffset At { get; } = at;

        /// <summary>The domain records the save adds, changes or deletes, in the order the context tracks them.</summary>
        public List<Change> Changes { get; } = [];

        /// <summary>Ids of networks and districts whose figures move, read after the save (new records only have them then).</summary>
        public List<Func<int>> FigureNetworks { get; } = [];

        public List<Func<int>> FigureDistricts { get; } = [];

        /// <summary>The measures whose run chart the save changes.</summary>
        public HashSet<int> ChartMeasures { get; } = [];

        public IEnumerable<int> Districts => Changes.Where(c => c.District is > 0).Select(c => c.District!.Value).Distinct();

        /// <summary>Anything to write after the records, which must then share their transaction.</summary>
        public bool NeedsTransaction => Changes.Count > 0 || FigureNetworks.Count > 0 || FigureDistricts.Count > 0 || ChartMeasures.Count > 0;
    }

    private sealed class Change(EntityEntry entry, AuditAction action)
    {
        public EntityEntry Entry { get; } = entry;
        public AuditAction Action { get; } = action;
        public List<AuditField>? Fields { get; init; }
        public int? District { get; set; }
    }
}

/// <summary>Hands the <see cref="SavePipeline"/> to every context built with the options (pooled contexts have only those).</summary>
internal sealed class SavePipelineExtension(SavePipeline pipeline) : IDbContextOptionsExtension
{
    public SavePipeline Pipeline { get; } = pipeline;

    private ExtensionInfo? _info;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }

    public void Validate(IDbContextOptions options) { }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "";

        // It adds no services, so contexts with different pipelines share EF's internal services.
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;
        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) { }
    }
}

public static class SavePipelineSetup
{
    /// <summary>
    /// Gives every save of <see cref="AppDbContext"/> its <see cref="SavePipeline"/>. The <paramref name="listener"/>
    /// hears which districts changed once their transaction commits.
    /// </summary>
    public static DbContextOptionsBuilder AddSavePipeline(this DbContextOptionsBuilder options, ICurrentUser user, TimeProvider clock,
        IDataChangeListener? listener = null)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new SavePipelineExtension(new SavePipeline(user, clock)));
        return options.AddInterceptors(new CommitPublisher(listener ?? new NoDataChangeListener()));
    }
}
