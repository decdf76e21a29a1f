using System.Globalization;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Export;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// The cycle's plan as a table in the state platform's terms (goal, strategy, activity, end and interim target measures,
/// owner, dates, funding source), so a team that must also enter its plan in MICIP copies it instead of retyping. Everyone
/// who reads the plan may download it. Written by the exports' own CSV and Excel writers, which keep any text from
/// running as a formula.
/// </summary>
public sealed class PlanExportController(DistrictPageServices services) : DistrictControllerBase(services)
{
    public static readonly string[] Headers =
    [
        "School year", "Level", "Goal", "Strategy", "Activity", "Owner", "Start date", "Due date", "Completed", "Funding source", "Planned amount",
        "Measure", "Measure kind", "Baseline", "Target", "Target date", "Interim targets", "Data source",
    ];

    [HttpGet("districts/{districtId:int}/cycles/{cycleId:int}/plan/export.{format}")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Download(int districtId, int cycleId, string format)
    {
        if (format is not ("csv" or "xlsx")) return NotFound();
        var sheet = await PlanSheetAsync(CurrentCycle);
        var name = $"micip-plan-{CurrentCycle.SchoolYear}.{format}";
        return format == "csv"
            ? File(ExportController.ToCsv(sheet), "text/csv; charset=utf-8", name)
            : File(ExportController.ToXlsx(sheet), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private async Task<Sheet> PlanSheetAsync(CycleContext cycle)
    {
        var goals = await Db.PlanGoals.AsNoTracking().Where(g => g.CycleId == cycle.CycleId && g.DistrictId == cycle.DistrictId)
            .OrderBy(g => g.State == GoalState.Archived).ThenBy(g => g.SortOrder).ThenBy(g => g.Id).ToListAsync();
        var strategies = (await Db.PlanStrategies.AsNoTracking().Where(s => s.CycleId == cycle.CycleId && s.DistrictId == cycle.DistrictId).OrderBy(s => s.Id).ToListAsync())
            .ToLookup(s => s.GoalId);
        var activities = (await Db.PlanActivities.AsNoTracking().Where(a => a.CycleId == cycle.CycleId && a.DistrictId == cycle.DistrictId)
            .OrderBy(a => a.Id)
            .Select(a => new { Activity = a, Owner = Db.Users.NameOf(a.OwnerUserId) })
            .ToListAsync()).ToLookup(a => a.Activity.StrategyId);
        var measures = await Db.PlanMeasures.AsNoTracking().Where(m => m.CycleId == cycle.CycleId && m.DistrictId == cycle.DistrictId && m.ArchivedAt == null)
            .OrderBy(m => m.Id).ToListAsync();
        var targets = (await Db.PlanMeasureTargets.AsNoTracking().Where(t => t.CycleId == cycle.CycleId && t.DistrictId == cycle.DistrictId)
            .Select(t => new { t.MeasureId, t.Date, t.Value }).ToListAsync()).OrderBy(t => t.Date).ToLookup(t => t.MeasureId);

        var year = cycle.SchoolYear;
        var rows = new List<object?[]>();
        void MeasureRows(string level, string goal, string strategy, string activity, IEnumerable<PlanMeasure> ofRecord)
        {
            foreach (var m in ofRecord)
            {
                var interim = string.Join("; ", targets[m.Id].Select(t => $"{Iso(t.Date)}: {MeasureRules.Format(t.Value, m.Unit)}"));
                rows.Add([year, level, goal, strategy, activity, "", "", "", "", "", null, m.Name, m.Kind.DisplayName(),
                    m.BaselineValue is { } b ? MeasureRules.Format(b, m.Unit) : "", m.EndTargetValue is { } t ? MeasureRules.Format(t, m.Unit) : "",
                    Iso(m.EndTargetDate), interim, m.DataSource]);
            }
        }
        foreach (var goal in goals)
        {
            rows.Add([year, "Goal", goal.Statement, "", "", "", "", "", "", "", null, "", "", "", "", "", "", ""]);
            MeasureRows("End target measure", goal.Statement, "", "", measures.Where(m => m.GoalId == goal.Id));
            foreach (var strategy in strategies[goal.Id])
            {
                rows.Add([year, "Strategy", goal.Statement, strategy.Title, "", "", "", "", "", strategy.FundingSource, strategy.PlannedAmount, "", "", "", "", "", "", ""]);
                MeasureRows("Interim target measure", goal.Statement, strategy.Title, "", measures.Where(m => m.StrategyId == strategy.Id));
                foreach (var (activity, owner) in activities[strategy.Id].Select(a => (a.Activity, a.Owner)))
                {
                    rows.Add([year, "Activity", goal.Statement, strategy.Title, activity.Title, owner ?? "", Iso(activity.StartDate), Iso(activity.DueDate),
                        Iso(activity.DoneDate), "", null, "", "", "", "", "", "", ""]);
                    MeasureRows("Interim target measure", goal.Statement, strategy.Title, activity.Title, measures.Where(m => m.ActivityId == activity.Id));
                }
            }
        }
        return new Sheet("Plan", Headers, rows);
    }

    private static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
