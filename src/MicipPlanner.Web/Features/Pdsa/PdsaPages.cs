using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Pdsa;

/// <summary>One cycle in a list: its number on its activity, its change idea, stage and decision.</summary>
public sealed record PdsaRow(int Id, int Number, int ActivityId, string Activity, string ChangeIdea, PdsaStage Stage, PdsaDecision? Decision,
    DateOnly? StartDate, DateOnly? EndDate, int? PreviousId);

/// <summary>A measure a cycle can be linked to, named with the record it belongs to.</summary>
public sealed record PdsaMeasureOption(int Id, string Name, string Of);

/// <summary>The cycles of an activity (with the form to plan a new one) or of every activity under a goal.</summary>
public sealed record PdsaListPage(CycleContext Cycle, string Heading, string? GoalStatement, int? ActivityId, IReadOnlyList<PdsaRow> Cycles,
    IReadOnlyList<PdsaMeasureOption> Measures, PdsaPlanForm? Posted, bool CanEdit);

/// <summary>A linked measure on the study: its run chart with the cycle's dates marked, and its values for the table.</summary>
public sealed record PdsaMeasureChart(int Id, string Name, MeasureUnit Unit, MeasureChartView? Chart);

/// <summary>One cycle's page: its four stages and the forms its stage allows.</summary>
public sealed record PdsaCyclePage(CycleContext Cycle, PdsaCycle Pdsa, int Number, string Activity, int GoalId, string Goal, string? CreatedBy,
    PdsaRow? Previous, PdsaRow? Next, IReadOnlyList<PdsaMeasureChart> Charts, IReadOnlyList<PdsaMeasureOption> Measures,
    IReadOnlyList<int> LinkedMeasureIds, PdsaPosted Posted, bool CanEdit)
{
    public bool MayEditPlan => CanEdit && PdsaRules.Refusal(PdsaStep.EditPlan, Pdsa.Stage) is null;
    public bool MayRecordDo => CanEdit && PdsaRules.Refusal(PdsaStep.RecordDo, Pdsa.Stage) is null;
    public bool MayRecordStudy => CanEdit && PdsaRules.Refusal(PdsaStep.RecordStudy, Pdsa.Stage) is null;
    public bool MayRecordAct => CanEdit && PdsaRules.Refusal(PdsaStep.RecordAct, Pdsa.Stage) is null;
    public bool MayPlanNext => CanEdit && PdsaRules.Refusal(PdsaStep.PlanNextCycle, Pdsa.Stage, Pdsa.Decision, Next is not null) is null;
}

/// <summary>The form that was posted and refused, shown again with its messages.</summary>
public sealed record PdsaPosted(PdsaPlanEditForm? Plan = null, PdsaDoForm? Do = null, PdsaStudyForm? Study = null, PdsaActForm? Act = null,
    PdsaPlanForm? Next = null);

public static class PdsaPages
{
    public static async Task<PdsaListPage?> ActivityAsync(AppDbContext db, CycleContext cycle, int activityId, PdsaPlanForm? posted)
    {
        var activity = await db.PlanActivities.AsNoTracking().Where(a => a.Id == activityId && a.CycleId == cycle.CycleId && a.DistrictId == cycle.DistrictId)
            .Select(a => new
            {
                a.Title,
                Goal = db.PlanGoals.Where(g => db.PlanStrategies.Any(s => s.Id == a.StrategyId && s.GoalId == g.Id)).Select(g => g.Statement).FirstOrDefault(),
            }).FirstOrDefaultAsync();
        if (activity is null) return null;
        var rows = await RowsAsync(db, cycle, [activityId]);
        var canEdit = cycle.Permissions.CanBuildPlan;
        return new PdsaListPage(cycle, $"PDSA cycles of “{activity.Title}”", activity.Goal, activityId, rows,
            canEdit ? await MeasureOptionsAsync(db, cycle) : [], posted, canEdit);
    }

    public static async Task<PdsaListPage?> GoalAsync(AppDbContext db, CycleContext cycle, int goalId)
    {
        var goal = await db.PlanGoals.AsNoTracking().Where(g => g.Id == goalId && g.CycleId == cycle.CycleId && g.DistrictId == cycle.DistrictId)
            .Select(g => g.Statement).FirstOrDefaultAsync();
        if (goal is null) return null;
        var activities = await db.PlanActivities.AsNoTracking()
            .Where(a => a.CycleId == cycle.CycleId && db.PlanStrategies.Any(s => s.Id == a.StrategyId && s.GoalId == goalId))
            .Select(a => a.Id).ToListAsync();
        return new PdsaListPage(cycle, "PDSA cycles of the goal", goal, null, await RowsAsync(db, cycle, activities), [], null, cycle.Permissions.CanBuildPlan);
    }

    public static async Task<PdsaCyclePage?> CycleAsync(AppDbContext db, CycleContext cycle, int pdsaId, PdsaPosted? posted)
    {
        var pdsa = await db.PdsaCycles.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pdsaId && p.CycleId == cycle.CycleId && p.DistrictId == cycle.DistrictId);
        if (pdsa is null) return null;
        var about = await db.PlanActivities.AsNoTracking().Where(a => a.Id == pdsa.ActivityId)
            .Select(a => new
            {
                a.Title,
                GoalId = db.PlanStrategies.Where(s => s.Id == a.StrategyId).Select(s => s.GoalId).FirstOrDefault(),
                Goal = db.PlanGoals.Where(g => db.PlanStrategies.Any(s => s.Id == a.StrategyId && s.GoalId == g.Id)).Select(g => g.Statement).FirstOrDefault(),
            }).SingleAsync();
        var createdBy = await db.Users.DisplayNameAsync(pdsa.CreatedByUserId);
        var rows = await RowsAsync(db, cycle, [pdsa.ActivityId]);
        var linked = await db.PdsaMeasureLinks.AsNoTracking().Where(l => l.PdsaCycleId == pdsaId).Select(l => l.MeasureId).ToListAsync();
        var canEdit = cycle.Permissions.CanBuildPlan;
        return new PdsaCyclePage(cycle, pdsa, rows.Single(r => r.Id == pdsaId).Number, about.Title, about.GoalId, about.Goal ?? "",
            createdBy, rows.FirstOrDefault(r => r.Id == pdsa.PreviousPdsaCycleId), rows.FirstOrDefault(r => r.PreviousId == pdsaId),
            await ChartsAsync(db, cycle, pdsa, linked), canEdit ? await MeasureOptionsAsync(db, cycle) : [], linked, posted ?? new PdsaPosted(), canEdit);
    }

    /// <summary>The cycles of the activities, numbered on each activity in the order they were planned.</summary>
    private static async Task<IReadOnlyList<PdsaRow>> RowsAsync(AppDbContext db, CycleContext cycle, IReadOnlyCollection<int> activityIds)
    {
        var found = await db.PdsaCycles.AsNoTracking().Where(p => p.CycleId == cycle.CycleId && p.DistrictId == cycle.DistrictId && activityIds.Contains(p.ActivityId))
            .OrderBy(p => p.Id)
            .Select(p => new
            {
                p.Id, p.ActivityId, p.ChangeIdea, p.Stage, p.Decision, p.StartDate, p.EndDate, p.PreviousPdsaCycleId,
                Activity = db.PlanActivities.Where(a => a.Id == p.ActivityId).Select(a => a.Title).FirstOrDefault(),
            }).ToListAsync();
        return found.GroupBy(p => p.ActivityId)
            .SelectMany(g => g.Select((p, i) => new PdsaRow(p.Id, i + 1, p.ActivityId, p.Activity ?? "", p.ChangeIdea, p.Stage, p.Decision, p.StartDate,
                p.EndDate, p.PreviousPdsaCycleId)))
            .OrderBy(r => r.Activity, StringComparer.CurrentCulture).ThenBy(r => r.Number).ToList();
    }

    /// <summary>The plan's measures still watched, named with what they measure (a goal's end target or an interim measure).</summary>
    private static async Task<IReadOnlyList<PdsaMeasureOption>> MeasureOptionsAsync(AppDbContext db, CycleContext cycle) =>
        (await db.PlanMeasures.AsNoTracking().Where(m => m.CycleId == cycle.CycleId && m.DistrictId == cycle.DistrictId && m.ArchivedAt == null)
            .OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Name, m.GoalId, m.StrategyId })
            .ToListAsync())
        .Select(m => new PdsaMeasureOption(m.Id, m.Name, m.GoalId is not null ? "end target measure" : m.StrategyId is not null ? "strategy measure" : "activity measure"))
        .ToList();

    /// <summary>
    /// The linked measures' district-wide run charts, drawn as on the plan page with the cycle's start and end marked beside
    /// the measure's own changes, so the study reads the result where the test happened.
    /// </summary>
    private static async Task<IReadOnlyList<PdsaMeasureChart>> ChartsAsync(AppDbContext db, CycleContext cycle, PdsaCycle pdsa, IReadOnlyList<int> measureIds)
    {
        if (measureIds.Count == 0) return [];
        var measures = await db.PlanMeasures.AsNoTracking().Where(m => measureIds.Contains(m.Id) && m.DistrictId == cycle.DistrictId).OrderBy(m => m.Id).ToListAsync();
        var values = (await db.PlanMeasureValues.AsNoTracking().Where(v => measureIds.Contains(v.MeasureId) && v.DistrictId == cycle.DistrictId && v.BuildingId == null)
            .Select(v => new { v.Id, v.MeasureId, v.Date, v.Value }).ToListAsync()).OrderBy(v => v.Date).ThenBy(v => v.Id).ToLookup(v => v.MeasureId);
        var phases = (await db.PlanMeasurePhases.AsNoTracking().Where(p => measureIds.Contains(p.MeasureId) && p.DistrictId == cycle.DistrictId)
            .Select(p => new { p.MeasureId, p.Date, p.Label }).ToListAsync()).OrderBy(p => p.Date).ToLookup(p => p.MeasureId);
        var targets = (await db.PlanMeasureTargets.AsNoTracking().Where(t => measureIds.Contains(t.MeasureId) && t.DistrictId == cycle.DistrictId)
            .Select(t => new { t.MeasureId, t.Date, t.Value }).ToListAsync()).OrderBy(t => t.Date).ToLookup(t => t.MeasureId, t => new MeasureTarget(t.Date, t.Value));
        var marks = new List<(DateOnly Date, string Label)>();
        if (pdsa.StartDate is { } start) marks.Add((start, "PDSA starts"));
        if (pdsa.EndDate is { } end) marks.Add((end, "PDSA ends"));
        return measures.Select(m =>
        {
            var points = values[m.Id].Select(v => new MeasurePoint(v.Date, v.Value)).ToList();
            if (points.Count == 0) return new PdsaMeasureChart(m.Id, m.Name, m.Unit, null);
            var changes = phases[m.Id].ToList();
            var analysis = RunChart.Analyze(points, m.Better, changes.Select(c => c.Date).ToList());
            var baseline = m.BaselineValue is { } bv && m.BaselineDate is { } bd ? new MeasurePoint(bd, bv) : null;
            var svg = new RunChartSvg($"Run chart of {m.Name}, district-wide values, with the PDSA cycle's dates", $"pdsa-measure-{m.Id}-chart", points,
                analysis, m.Unit, baseline, targets[m.Id].ToList(), m.EndTarget, changes.Select(c => (c.Date, c.Label)).Concat(marks).ToList(), small: false);
            return new PdsaMeasureChart(m.Id, m.Name, m.Unit, new MeasureChartView(svg, analysis, points));
        }).ToList();
    }

    public static string Date(DateOnly? date) =>
        date?.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "not set";
}

/// <summary>The plan's fields, with ids under <paramref name="Prefix"/>; <paramref name="IsPosted"/> shows the refused form's messages.</summary>
public sealed record PdsaPlanFields(string Prefix, PdsaPlanForm Form, IReadOnlyList<PdsaMeasureOption> Measures, bool IsPosted);
