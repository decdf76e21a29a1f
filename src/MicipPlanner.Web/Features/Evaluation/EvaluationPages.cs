using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Evaluation;

/// <summary>One goal on the evaluation page: the year's figures, the stored evaluation (if any) and the form to save it.</summary>
public sealed record GoalEvaluationView(int GoalId, int Number, string Statement, GoalState State, GoalEvaluationFigures Figures, GoalEvaluation? Stored,
    GoalEvaluationForm Form, bool IsPosted, CarriedGoalLink? CarriedInto);

/// <summary>A goal of another year: where a carried goal came from, or where an evaluated goal went.</summary>
public sealed record CarriedGoalLink(int CycleId, int StartYear, int GoalId)
{
    public string SchoolYear => SchoolYears.Format(StartYear);
}

/// <summary>
/// One goal's card (the partial <c>_GoalEvaluation</c>): where its form posts, whether it shows the form, and the district whose plan
/// pages it links to (none on a workshop's evaluation step, whose participants do not open the plan).
/// </summary>
public sealed record GoalEvaluationCard(GoalEvaluationView Goal, DateOnly AsOf, bool CanEdit, string SaveUrl, int? PlanDistrictId);

/// <summary>The cycle an evaluation is read for: its district's calendar decides the "as of" date.</summary>
public sealed record EvaluatedCycle(int DistrictId, int CycleId, int StartYear, string TimeZoneId);

public sealed record EvaluatedGoals(DateOnly AsOf, IReadOnlyList<GoalEvaluationView> Goals, int? NextCycleId, int? PreviousCycleId);

public sealed record EvaluationPageModel(CycleContext Cycle, DateOnly AsOf, IReadOnlyList<GoalEvaluationView> Goals, bool CanEdit, int? NextCycleId,
    int? PreviousCycleId);

/// <summary>A goal of last year on the carry-over page, with its decision and, once carried, this year's goal.</summary>
public sealed record CarryOverRow(int GoalId, string Statement, EvaluationDecision? Decision, string Rationale, int? CarriedAsGoalId)
{
    public bool MayCarry => GoalEvaluationRules.CarriesOver(Decision) && CarriedAsGoalId is null;
}

public sealed record CarryOverPageModel(CycleContext Cycle, int? PreviousCycleId, string PreviousSchoolYear, IReadOnlyList<CarryOverRow> Goals, bool CanEdit);

public static class EvaluationPages
{
    private sealed record CheckInPerson(int ActivityId, string ByUserId);

    private sealed record ReportJudgment(int ActivityId, int BuildingId, TeamJudgment? Judgment, DateTimeOffset? DecidedAt, int ReportId);

    private sealed record ValuePoint(int MeasureId, DateOnly Date, decimal Value, int Id);

    private sealed record Neighbour(int Id, int StartYear);

    private sealed record Consensus(int CycleId, string RowKey, int Level);

    private sealed record CarriedGoal(int Id, int CarriedFromGoalId, int CycleId, int StartYear);

    /// <summary>
    /// Every goal of the cycle with its figures: a fixed number of statements however many goals, strategies, activities,
    /// reports, measures and values there are (the query budget test holds it).
    /// </summary>
    public static async Task<EvaluationPageModel> BuildAsync(AppDbContext db, CycleContext cycle, IReadOnlyList<RubricRowOption> rubricRows, TimeProvider clock,
        (int GoalId, GoalEvaluationForm Form)? posted = null)
    {
        var goals = await GoalsAsync(db, new EvaluatedCycle(cycle.DistrictId, cycle.CycleId, cycle.StartYear, cycle.District.TimeZoneId), rubricRows, clock, posted);
        return new EvaluationPageModel(cycle, goals.AsOf, goals.Goals, cycle.Permissions.CanBuildPlan, goals.NextCycleId, goals.PreviousCycleId);
    }

    /// <summary>The goals with their figures and forms, for the team's page and a workshop's evaluation step alike.</summary>
    public static async Task<EvaluatedGoals> GoalsAsync(AppDbContext db, EvaluatedCycle cycle, IReadOnlyList<RubricRowOption> rubricRows, TimeProvider clock,
        (int GoalId, GoalEvaluationForm Form)? posted = null)
    {
        var (districtId, cycleId) = (cycle.DistrictId, cycle.CycleId);
        var asOf = GoalEvaluationRules.AsOf(cycle.StartYear, DistrictCalendar.Today(clock, cycle.TimeZoneId));
        var goals = await PlanReads.Goals(db, cycleId, districtId).ToListAsync();
        var strategies = await PlanReads.Strategies(db, cycleId, districtId).ToListAsync();
        var activities = await PlanReads.Activities(db, cycleId, districtId).ToListAsync();
        var involved = (await PlanReads.InvolvedBuildings(db, cycleId, districtId).ToListAsync()).ToLookup(x => x.ActivityId, x => x.BuildingId);
        var buildings = (await PlanReads.Buildings(db, districtId).ToListAsync()).Select(b => b.Id).ToList();
        var people = (await db.PlanCheckIns.AsNoTracking().Where(c => c.CycleId == cycleId && c.DistrictId == districtId)
            .Select(c => new CheckInPerson(c.ActivityId, c.ByUserId)).Distinct().ToListAsync()).ToLookup(p => p.ActivityId, p => p.ByUserId);
        // Each building's latest accepted judgment of each activity: the last report the district accepted speaks for it.
        var judgments = (await (from a in db.BuildingReportActivities.AsNoTracking()
                                join r in db.BuildingReports on a.ReportId equals r.Id
                                where r.CycleId == cycleId && r.DistrictId == districtId && r.State == TemplateState.Accepted
                                select new ReportJudgment(a.ActivityId, r.BuildingId, a.Judgment, r.DecidedAt, r.Id)).ToListAsync())
            .GroupBy(j => (j.ActivityId, j.BuildingId))
            .Select(g => g.OrderBy(j => j.DecidedAt).ThenBy(j => j.ReportId).Last())
            .Select(j => new ReportedActivity(j.ActivityId, j.BuildingId, j.Judgment)).ToList();
        var measures = (await PlanReads.Measures(db, cycleId, districtId).ToListAsync()).Select(r => r.Measure).Where(m => m.GoalId is not null && m.ArchivedAt is null).ToList();
        var values = (await db.PlanMeasureValues.AsNoTracking().Where(v => v.CycleId == cycleId && v.DistrictId == districtId && v.BuildingId == null)
                .Select(v => new ValuePoint(v.MeasureId, v.Date, v.Value, v.Id)).ToListAsync())
            .OrderBy(v => v.Date).ThenBy(v => v.Id).ToLookup(v => v.MeasureId, v => new MeasurePoint(v.Date, v.Value));
        var phases = (await PlanReads.Phases(db, cycleId, districtId).ToListAsync()).ToLookup(p => p.MeasureId, p => p.Date);
        var neighbours = await db.Cycles.AsNoTracking()
            .Where(c => c.DistrictId == districtId && (c.StartYear == cycle.StartYear - 1 || c.StartYear == cycle.StartYear + 1))
            .Select(c => new Neighbour(c.Id, c.StartYear)).ToListAsync();
        var previousId = neighbours.FirstOrDefault(n => n.StartYear == cycle.StartYear - 1)?.Id;
        var nextId = neighbours.FirstOrDefault(n => n.StartYear == cycle.StartYear + 1)?.Id;
        var consensus = await db.ConsensusRatings.AsNoTracking()
            .Where(r => r.DistrictId == districtId && (r.CycleId == cycleId || r.CycleId == previousId))
            .Select(r => new Consensus(r.CycleId, r.RowKey, r.Level)).ToListAsync();
        var evaluations = await db.GoalEvaluations.AsNoTracking().Where(e => e.CycleId == cycleId && e.DistrictId == districtId).ToDictionaryAsync(e => e.GoalId);
        var goalIds = goals.Select(g => g.Id).ToList();
        var carriedInto = await db.PlanGoals.AsNoTracking().Where(g => g.DistrictId == districtId && g.CarriedFromGoalId != null && goalIds.Contains(g.CarriedFromGoalId.Value))
            .Select(g => new CarriedGoal(g.Id, g.CarriedFromGoalId!.Value, g.CycleId, db.Cycles.Where(c => c.Id == g.CycleId).Select(c => c.StartYear).FirstOrDefault()))
            .ToDictionaryAsync(g => g.CarriedFromGoalId);

        var rowsByKey = rubricRows.ToDictionary(r => r.Key);
        int? Level(int? cycle, string key) => consensus.FirstOrDefault(c => c.CycleId == cycle && c.RowKey == key)?.Level;
        var strategiesOf = strategies.ToLookup(s => s.GoalId);
        var activitiesOf = activities.ToLookup(a => a.StrategyId);
        var views = goals.Select((g, i) =>
        {
            var goalStrategies = strategiesOf[g.Id].ToList();
            var goalActivities = goalStrategies.SelectMany(s => activitiesOf[s.Id]).ToList();
            var evaluated = goalActivities.Select(a => new EvaluatedActivity(a.Id, new ActivityDates(a.StartDate, a.DueDate, a.DoneDate), a.OwnerUserId,
                a.AllBuildings, involved[a.Id].ToList())).ToList();
            var rows = PlanRules.RowKeys(g.RubricRowKeys).Select(k => new RubricRowMovement(
                rowsByKey.TryGetValue(k, out var row) ? $"{row.Number}. {row.Label}" : k, Level(previousId, k), Level(cycleId, k))).ToList();
            var stored = evaluations.GetValueOrDefault(g.Id);
            var figures = GoalEvaluationRules.Derive(asOf, evaluated, goalActivities.SelectMany(a => people[a.Id]),
                goalStrategies.Select(s => (s.FundingSource, s.PlannedAmount)), stored?.AmountUsed, buildings, judgments,
                measures.Where(m => m.GoalId == g.Id).Select(m => new EvaluatedMeasure(m.Name, m.Unit, m.Better, m.EndTarget, values[m.Id].ToList(),
                    phases[m.Id].Order().ToList())),
                rows);
            var isPosted = posted?.GoalId == g.Id;
            var form = isPosted ? posted!.Value.Form : stored is null
                ? new GoalEvaluationForm
                {
                    // Not saved yet: each question starts from the year's figures, for the team to correct.
                    Readiness = GoalEvaluationRules.ReadinessText(figures.Readiness), Fidelity = GoalEvaluationRules.FidelityText(figures.Fidelity),
                    ScaleAndReach = GoalEvaluationRules.ReachText(figures.Reach), Impact = GoalEvaluationRules.ImpactText(figures.Measures, figures.Rows),
                }
                : new GoalEvaluationForm
                {
                    Readiness = stored.Readiness, Fidelity = stored.Fidelity, ScaleAndReach = stored.ScaleAndReach, Impact = stored.Impact,
                    AmountUsed = stored.AmountUsed, Decision = stored.Decision, Rationale = stored.Rationale, Version = stored.Version,
                };
            var into = carriedInto.GetValueOrDefault(g.Id);
            return new GoalEvaluationView(g.Id, i + 1, g.Statement, g.State, figures, stored, form, isPosted,
                into is null ? null : new CarriedGoalLink(into.CycleId, into.StartYear, into.Id));
        }).ToList();
        return new EvaluatedGoals(asOf, views, nextId, previousId);
    }

    /// <summary>Last year's goals by their decision, each with this year's goal once carried (none when the district has no last year).</summary>
    public static async Task<CarryOverPageModel> CarryOverAsync(AppDbContext db, CycleContext cycle)
    {
        var previous = await db.Cycles.AsNoTracking().Where(c => c.DistrictId == cycle.DistrictId && c.StartYear == cycle.StartYear - 1)
            .Select(c => new Neighbour(c.Id, c.StartYear)).FirstOrDefaultAsync();
        if (previous is null) return new CarryOverPageModel(cycle, null, SchoolYears.Format(cycle.StartYear - 1), [], cycle.Permissions.CanBuildPlan);
        var rows = (await db.PlanGoals.AsNoTracking().Where(g => g.CycleId == previous.Id && g.DistrictId == cycle.DistrictId)
                .OrderBy(g => g.SortOrder).ThenBy(g => g.Id)
                .Select(g => new
                {
                    g.Id, g.Statement,
                    Evaluation = db.GoalEvaluations.Where(e => e.GoalId == g.Id).Select(e => new { e.Decision, e.Rationale }).FirstOrDefault(),
                    CarriedAs = db.PlanGoals.Where(n => n.CarriedFromGoalId == g.Id).Select(n => (int?)n.Id).FirstOrDefault(),
                }).ToListAsync())
            .Select(g => new CarryOverRow(g.Id, g.Statement, g.Evaluation?.Decision, g.Evaluation?.Rationale ?? "", g.CarriedAs)).ToList();
        return new CarryOverPageModel(cycle, previous.Id, SchoolYears.Format(previous.StartYear), rows, cycle.Permissions.CanBuildPlan);
    }
}
