using System.Collections.Concurrent;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data.Saving;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MicipPlanner.Infrastructure.Data;

/// <remarks>
/// Instances are pooled (one options-only constructor, <see cref="DatabaseSetup.AddAppDatabase"/>). What every save
/// does besides writing the records (new versions, the audit trail, the district data version, the network figures
/// version) is the <see cref="SavePipeline"/> the options carry, run by the <c>SaveChanges</c> overrides here inside the
/// SQLite write gate.
/// </remarks>
public class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
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

    public DbSet<PlanGoal> PlanGoals => Set<PlanGoal>();
    public DbSet<PlanStrategy> PlanStrategies => Set<PlanStrategy>();
    public DbSet<PlanActivity> PlanActivities => Set<PlanActivity>();
    public DbSet<PlanActivityBuilding> PlanActivityBuildings => Set<PlanActivityBuilding>();
    public DbSet<PlanCheckIn> PlanCheckIns => Set<PlanCheckIn>();
    public DbSet<PlanMeeting> PlanMeetings => Set<PlanMeeting>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<DigestClaim> DigestClaims => Set<DigestClaim>();
    public DbSet<PlanMeasure> PlanMeasures => Set<PlanMeasure>();
    public DbSet<PlanMeasureTarget> PlanMeasureTargets => Set<PlanMeasureTarget>();
    public DbSet<PlanMeasurePhase> PlanMeasurePhases => Set<PlanMeasurePhase>();
    public DbSet<PlanMeasureValue> PlanMeasureValues => Set<PlanMeasureValue>();
    public DbSet<PdsaCycle> PdsaCycles => Set<PdsaCycle>();
    public DbSet<PdsaMeasureLink> PdsaMeasureLinks => Set<PdsaMeasureLink>();
    public DbSet<GoalEvaluation> GoalEvaluations => Set<GoalEvaluation>();
    public DbSet<MonitoringPeriod> MonitoringPeriods => Set<MonitoringPeriod>();
    public DbSet<ReportedMeasure> ReportedMeasures => Set<ReportedMeasure>();
    public DbSet<BuildingReport> BuildingReports => Set<BuildingReport>();
    public DbSet<BuildingReportValue> BuildingReportValues => Set<BuildingReportValue>();
    public DbSet<BuildingReportActivity> BuildingReportActivities => Set<BuildingReportActivity>();
    public DbSet<BuildingReportTransition> BuildingReportTransitions => Set<BuildingReportTransition>();

    public DbSet<BalanceTemplate> BalanceTemplates => Set<BalanceTemplate>();
    public DbSet<BalanceTemplateItem> BalanceTemplateItems => Set<BalanceTemplateItem>();
    public DbSet<TemplateTransition> TemplateTransitions => Set<TemplateTransition>();

    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Network> Networks => Set<Network>();
    public DbSet<NetworkMembership> NetworkMemberships => Set<NetworkMembership>();
    public DbSet<PracticeNote> PracticeNotes => Set<PracticeNote>();
    public DbSet<BenchmarkSnapshot> BenchmarkSnapshots => Set<BenchmarkSnapshot>();
    public DbSet<Workshop> Workshops => Set<Workshop>();
    public DbSet<WorkshopGroup> WorkshopGroups => Set<WorkshopGroup>();
    public DbSet<WorkshopParticipant> WorkshopParticipants => Set<WorkshopParticipant>();

    /// <summary>
    /// Column of Districts raised in the same transaction as every save that changes one of the district's records:
    /// a poll (the workshop presenter's) can answer "nothing changed" from the number it reads with the permission check.
    /// </summary>
    public const string DataVersion = "DataVersion";

    /// <summary>
    /// Column of Networks raised in the same transaction as every save that changes what the network's benchmarks count
    /// (a district joining or leaving, a member's sharing setting, a member's rubric finalized or reopened): the network
    /// page keeps its counts while the number it reads with the network stays the same.
    /// </summary>
    public const string FiguresVersion = "FiguresVersion";

    /// <summary>
    /// Column of PlanMeasures raised in the same transaction as every save that changes what the measure's district-wide
    /// run chart is drawn from: a value, an interim target or a phase change of the measure or of its line's earlier
    /// years. A laid-out chart is kept while this number and the measure's version stay the same; a check-in, the
    /// commonest save at a meeting, leaves it alone.
    /// </summary>
    public const string ChartVersion = "ChartVersion";

    /// <summary>When false (bulk import, data generator) no audit entries are written.</summary>
    public bool AuditEnabled { get; set; } = true;

    /// <summary>When true, added records keep the version they carry (restoring a backup).</summary>
    public bool PreserveVersions { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        ModelReferences.DeclareDistrictReferences(builder);
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

    /// <summary>Districts whose data version saves in the open transaction raised; told to the live updates at commit.</summary>
    internal HashSet<int> DistrictsAwaitingCommit { get; } = [];

    /// <summary>The records those saves added, changed or deleted; told to the live updates with the districts.</summary>
    internal List<object> RecordsAwaitingCommit { get; } = [];

    // Taken from the options the pooled instance is built with; absent, a save writes the records and nothing more.
    private readonly SavePipeline? _pipeline = options.FindExtension<SavePipelineExtension>()?.Pipeline;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = SqliteWriteGate();
        gate?.Wait();
        try
        {
            return _pipeline is null
                ? base.SaveChanges(acceptAllChangesOnSuccess)
                : _pipeline.Save(this, () => base.SaveChanges(acceptAllChangesOnSuccess));
        }
        finally
        {
            gate?.Release();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = SqliteWriteGate();
        if (gate is not null) await gate.WaitAsync(cancellationToken);
        try
        {
            return _pipeline is null
                ? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
                : await _pipeline.SaveAsync(this, () => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken);
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

    // A pooled instance keeps its properties between leases (EF resets only its own state): the switches a bulk
    // import turns go back to their defaults when the lease ends.
    public override void Dispose()
    {
        ResetSwitches();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ResetSwitches();
        return base.DisposeAsync();
    }

    private void ResetSwitches()
    {
        DistrictsAwaitingCommit.Clear();
        RecordsAwaitingCommit.Clear();
        AuditEnabled = true;
        PreserveVersions = false;
    }
}
