using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// The plan's reads shared by the plan page and the monitoring meeting, compiled once. The meeting page is read again on
/// every save in the district (its sections follow the data version), and translating these trees anew on each read was
/// about a quarter of its CPU. Each takes the cycle and its district, and keeps a fixed statement count however large the plan.
/// </summary>
public static class PlanReads
{
    /// <param name="CarriedFromCycleId">The cycle of the earlier year's goal this one was carried from, if any.</param>
    public sealed record GoalRow(int Id, string Statement, GoalState State, string RubricRowKeys, Guid Version, int? CarriedFromGoalId = null,
        int? CarriedFromCycleId = null, int? CarriedFromStartYear = null);

    public sealed record StrategyRow(int Id, int GoalId, string Title, PlanSystems Systems, string FundingSource, decimal? PlannedAmount, Guid Version);

    public sealed record ActivityRow(int Id, int StrategyId, string Title, DateOnly? StartDate, DateOnly? DueDate, DateOnly? DoneDate, bool AllBuildings,
        string? OwnerUserId, int? SourceActionItemId, Guid Version, string? Owner, DateTimeOffset CreatedAt);

    public sealed record CheckInRow(int ActivityId, DateOnly Date, TeamJudgment Judgment, string Note, string? EvidenceLink, string? By);

    public sealed record InvolvedRow(int ActivityId, int BuildingId);

    public sealed record TargetRow(int MeasureId, DateOnly Date, decimal Value, int Id);

    public sealed record PhaseRow(int MeasureId, DateOnly Date, string Label);

    /// <summary>A district-wide value of an earlier year's measure of the same line (<see cref="PlanMeasure.HistoryKey"/>).</summary>
    public sealed record EarlierValueRow(int HistoryKey, DateOnly Date, decimal Value, int Id);

    public sealed record ValueRow(int Id, int MeasureId, DateOnly Date, decimal Value, int? BuildingId, string Note, Guid Version,
        string? By, string? FromReport);

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<GoalRow>> Goals = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanGoals.AsNoTracking().Where(g => g.CycleId == cycleId && g.DistrictId == districtId)
            .OrderBy(g => g.State == GoalState.Archived).ThenBy(g => g.SortOrder).ThenBy(g => g.Id)
            .Select(g => new GoalRow(g.Id, g.Statement, g.State, g.RubricRowKeys, g.Version, g.CarriedFromGoalId,
                db.PlanGoals.Where(p => p.Id == g.CarriedFromGoalId).Select(p => (int?)p.CycleId).FirstOrDefault(),
                db.Cycles.Where(c => db.PlanGoals.Any(p => p.Id == g.CarriedFromGoalId && p.CycleId == c.Id)).Select(c => (int?)c.StartYear).FirstOrDefault())));

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<StrategyRow>> Strategies = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanStrategies.AsNoTracking().Where(s => s.CycleId == cycleId && s.DistrictId == districtId)
            .OrderBy(s => s.Id).Select(s => new StrategyRow(s.Id, s.GoalId, s.Title, s.Systems, s.FundingSource, s.PlannedAmount, s.Version)));

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<ActivityRow>> Activities = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanActivities.AsNoTracking().Where(a => a.CycleId == cycleId && a.DistrictId == districtId)
            .OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new ActivityRow(a.Id, a.StrategyId, a.Title, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings, a.OwnerUserId,
                a.SourceActionItemId, a.Version, db.Users.NameOf(a.OwnerUserId), a.CreatedAt)));

    /// <summary>
    /// The latest check-in of each activity (latest date, then latest recorded): the team's current judgment. Each
    /// activity finds its own through the (activity, date) index and the check-in is read by its key; numbering every
    /// check-in of the cycle by activity and keeping the first cost three times as much on the meeting's every read.
    /// </summary>
    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<CheckInRow>> LastCheckIns = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanActivities.Where(a => a.CycleId == cycleId && a.DistrictId == districtId)
            .Select(a => db.PlanCheckIns.Where(c => c.ActivityId == a.Id).OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
                .Select(c => (int?)c.Id).FirstOrDefault())
            .Join(db.PlanCheckIns.AsNoTracking(), id => id, c => c.Id, (id, c) => new CheckInRow(c.ActivityId, c.Date, c.Judgment, c.Note,
                c.EvidenceLink, db.Users.NameOf(c.ByUserId))));

    public static readonly Func<AppDbContext, int, IAsyncEnumerable<BuildingOption>> Buildings = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId) => db.Buildings.AsNoTracking().Where(b => b.DistrictId == districtId).OrderBy(b => b.Name)
            .Select(b => new BuildingOption(b.Id, b.Name)));

    /// <summary>The buildings named on activities that do not involve all of them.</summary>
    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<InvolvedRow>> InvolvedBuildings = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanActivityBuildings.AsNoTracking()
            .Where(x => x.DistrictId == districtId && db.PlanActivities.Any(a => a.Id == x.ActivityId && a.CycleId == cycleId))
            .Select(x => new InvolvedRow(x.ActivityId, x.BuildingId)));

    /// <summary>A measure with the number its district-wide chart is kept under (<see cref="AppDbContext.ChartVersion"/>).</summary>
    public sealed record MeasureRow(PlanMeasure Measure, long ChartVersion);

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<MeasureRow>> Measures = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanMeasures.AsNoTracking().Where(m => m.CycleId == cycleId && m.DistrictId == districtId)
            .OrderBy(m => m.ArchivedAt != null).ThenBy(m => m.Id).Select(m => new MeasureRow(m, EF.Property<long>(m, AppDbContext.ChartVersion))));

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<TargetRow>> Targets = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanMeasureTargets.AsNoTracking().Where(t => t.CycleId == cycleId && t.DistrictId == districtId)
            .Select(t => new TargetRow(t.MeasureId, t.Date, t.Value, t.Id)));

    public static readonly Func<AppDbContext, int, int, IAsyncEnumerable<PhaseRow>> Phases = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanMeasurePhases.AsNoTracking().Where(p => p.CycleId == cycleId && p.DistrictId == districtId)
            .Select(p => new PhaseRow(p.MeasureId, p.Date, p.Label)));

    /// <summary>
    /// Every value of the cycle's measures with who recorded it and, in the same statement (the count stays fixed however
    /// many values came from reports), the monitoring period of the accepted report it was copied from: looked up by the
    /// report's key, not by scanning the periods for each value. The building's name comes from the district's buildings,
    /// which the page reads anyway.
    /// </summary>
    /// <param name="after">Only the values taken after this date (the meeting's news); <see cref="DateOnly.MinValue"/> for all.</param>
    public static readonly Func<AppDbContext, int, int, DateOnly, IAsyncEnumerable<ValueRow>> Values = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId, DateOnly after) => db.PlanMeasureValues.AsNoTracking()
            .Where(v => v.CycleId == cycleId && v.DistrictId == districtId && v.Date > after)
            .Select(v => new ValueRow(v.Id, v.MeasureId, v.Date, v.Value, v.BuildingId, v.Note, v.Version,
                db.Users.NameOf(v.RecordedByUserId),
                db.BuildingReports.Where(r => r.Id == v.SourceReportId)
                    .Select(r => db.MonitoringPeriods.Where(p => p.Id == r.PeriodId).Select(p => p.Name).FirstOrDefault()).FirstOrDefault())));

    /// <summary>
    /// The district-wide values of the measures that this cycle's carried measures continue: every measure of an earlier cycle
    /// in the same line (its first measure, or one sharing its first measure), keyed by the line. One statement however
    /// many years and measures.
    /// </summary>
    public static readonly Func<AppDbContext, int, int, int, IAsyncEnumerable<EarlierValueRow>> EarlierValues = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId, int startYear) => db.PlanMeasureValues.AsNoTracking()
            .Where(v => v.DistrictId == districtId && v.BuildingId == null
                && db.Cycles.Any(c => c.Id == v.CycleId && c.DistrictId == districtId && c.StartYear < startYear))
            .Join(db.PlanMeasures, v => v.MeasureId, m => m.Id, (v, m) => new { v, Key = m.HistoryMeasureId ?? m.Id })
            .Where(x => db.PlanMeasures.Any(m => m.CycleId == cycleId && m.DistrictId == districtId && m.HistoryMeasureId == x.Key))
            .Select(x => new EarlierValueRow(x.Key, x.v.Date, x.v.Value, x.v.Id)));
}
