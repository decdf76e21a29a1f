using System.Globalization;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.BoardReport;

/// <summary>
/// Reads the board report of a cycle: the plan as its page reads it (goals, activities' states, measures with their run
/// charts), the cycle's PDSA cycles, and the district's consensus on the rubric in every school year up to this one.
/// </summary>
public static class BoardReportQuery
{
    public static async Task<BoardReportModel> BuildAsync(AppDbContext db, CycleContext cycle, ToolkitCatalog toolkits, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var toolkit = toolkits.Get(cycle.ToolkitKey, cycle.ToolkitVersion);
        var rubricRows = toolkit.Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList();
        // The meeting's read of the plan: no per-building charts nor material for building the plan.
        var plan = await PlanPage.BuildAsync(db, cycle, rubricRows, clock, forMeeting: true);
        var goals = new BoardGoalsSection(plan.Goals.Select(Goal).ToList());
        var sections = new List<BoardReportSection>
        {
            goals,
            await EvaluationAsync(db, cycle, plan.Goals, cancellationToken),
            await PdsaAsync(db, cycle, cancellationToken),
            await RubricAsync(db, cycle, toolkits, cancellationToken),
        };
        return new BoardReportModel(cycle, cycle.District.DistrictName, cycle.SchoolYear, plan.Today, sections);
    }

    private static BoardGoal Goal(GoalView goal)
    {
        var activities = goal.Strategies.SelectMany(s => s.Activities).ToList();
        var measures = goal.Measures.Select(m => Measure(m, "End target measure of the goal"))
            .Concat(goal.Strategies.SelectMany(s => s.Measures.Select(m => Measure(m, $"Interim measure of the strategy “{s.Title}”"))
                .Concat(s.Activities.SelectMany(a => a.Measures.Select(m => Measure(m, $"Interim measure of the activity “{a.Title}”"))))))
            .Where(m => m is not null).Select(m => m!).ToList();
        return new BoardGoal(goal.Id, goal.Statement, goal.State, goal.Rows.Select(r => $"{r.Number}. {r.Label}").ToList(), goal.Strategies.Count,
            activities.Count, activities.Count(a => a.Status.State == ActivityState.Done), activities.Count(a => a.Status.State == ActivityState.Overdue),
            measures);
    }

    private static BoardMeasure? Measure(MeasureView m, string of)
    {
        if (m.IsArchived) return null;
        var latest = m.Values.Where(v => v.BuildingId is null).LastOrDefault();
        return new BoardMeasure(m.Id, m.Name, of, m.Baseline is { } b ? MeasureRules.Format(b.Value, m.Unit) : null,
            m.EndTarget is { } t ? $"{MeasureRules.Format(t.Value, m.Unit)} by {Date(t.Date)}" : null,
            latest is null ? null : $"{MeasureRules.Format(latest.Value, m.Unit)} on {Date(latest.Date)}", m.TargetCheck, m.Chart);
    }

    /// <summary>Each goal's evaluation decision and rationale, in the plan's order; a goal not evaluated yet says so.</summary>
    private static async Task<BoardEvaluationSection> EvaluationAsync(AppDbContext db, CycleContext cycle, IReadOnlyList<GoalView> goals,
        CancellationToken cancellationToken)
    {
        var evaluations = await db.GoalEvaluations.AsNoTracking().Where(e => e.CycleId == cycle.CycleId && e.DistrictId == cycle.DistrictId)
            .Select(e => new { e.GoalId, e.Decision, e.Rationale }).ToDictionaryAsync(e => e.GoalId, cancellationToken);
        return new BoardEvaluationSection(goals.Select(g => evaluations.GetValueOrDefault(g.Id) is { } e
                ? new BoardEvaluation(g.Statement, e.Decision?.DisplayName(), e.Rationale)
                : new BoardEvaluation(g.Statement, null, ""))
            .ToList());
    }

    private static async Task<BoardPdsaSection> PdsaAsync(AppDbContext db, CycleContext cycle, CancellationToken cancellationToken)
    {
        var found = await db.PdsaCycles.AsNoTracking().Where(p => p.CycleId == cycle.CycleId && p.DistrictId == cycle.DistrictId)
            .OrderBy(p => p.Id)
            .Select(p => new
            {
                Pdsa = p,
                Activity = db.PlanActivities.Where(a => a.Id == p.ActivityId).Select(a => a.Title).FirstOrDefault(),
                Goal = db.PlanGoals.Where(g => db.PlanActivities.Any(a => a.Id == p.ActivityId
                    && db.PlanStrategies.Any(s => s.Id == a.StrategyId && s.GoalId == g.Id))).Select(g => g.Statement).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        // Decided cycles first: what the year taught, then what is still being tested.
        return new BoardPdsaSection(found.OrderBy(x => x.Pdsa.Decision is null).ThenBy(x => x.Goal, StringComparer.CurrentCulture).ThenBy(x => x.Pdsa.Id)
            .Select(x => new BoardPdsa(x.Goal ?? "", x.Activity ?? "", x.Pdsa.ChangeIdea, x.Pdsa.Prediction, x.Pdsa.Result,
                x.Pdsa.PredictionOutcome?.DisplayName(), x.Pdsa.Stage.DisplayName(), x.Pdsa.Decision?.DisplayName(), x.Pdsa.DecisionNote,
                x.Pdsa.StartDate is null && x.Pdsa.EndDate is null ? "" : $"{Date(x.Pdsa.StartDate)} to {Date(x.Pdsa.EndDate)}"))
            .ToList());
    }

    /// <summary>As the rubric's history page reads it: rows matched by key across toolkit versions, this cycle's labels shown.</summary>
    private static async Task<BoardRubricSection> RubricAsync(AppDbContext db, CycleContext cycle, ToolkitCatalog toolkits, CancellationToken cancellationToken)
    {
        var cycles = await db.Cycles.AsNoTracking().Where(c => c.DistrictId == cycle.DistrictId && c.StartYear <= cycle.StartYear)
            .OrderBy(c => c.StartYear).Select(c => new { c.Id, c.StartYear, c.ToolkitKey, c.ToolkitVersion }).ToListAsync(cancellationToken);
        var ids = cycles.Select(c => c.Id).ToList();
        var consensus = (await db.ConsensusRatings.AsNoTracking().Where(c => ids.Contains(c.CycleId) && c.DistrictId == cycle.DistrictId)
            .Select(c => new { c.CycleId, c.RowKey, c.Level }).ToListAsync(cancellationToken))
            .ToDictionary(c => (c.CycleId, c.RowKey), c => c.Level);
        var current = toolkits.Get(cycle.ToolkitKey, cycle.ToolkitVersion);
        var rows = current.Rubric.Rows.Select(row => new BoardRubricRow($"{row.Number}. {row.Label}", cycles.Select(c =>
        {
            if (!consensus.TryGetValue((c.Id, row.Key), out var level)) return null;
            var name = toolkits.Get(c.ToolkitKey, c.ToolkitVersion).Rubric.Levels.FirstOrDefault(l => l.Level == level)?.FullName;
            return name is null ? level.ToString(CultureInfo.InvariantCulture) : $"{level}. {name}";
        }).ToList())).ToList();
        return new BoardRubricSection(cycles.Select(c => SchoolYears.Format(c.StartYear)).ToList(), rows);
    }

    public static string Date(DateOnly? date) => date?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) ?? "not set";
}
