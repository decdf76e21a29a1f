using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Reports;

public sealed record ScopeMeasure(int Id, string Name, MeasureKind Kind, MeasureUnit Unit);

public sealed record ScopeActivity(int Id, string Title, DateOnly? DueDate, DateOnly? DoneDate);

/// <summary>
/// What one building reports in one period: the measures the district chose and the activities the building takes part in
/// (every building, or it among the ones listed). A measure or activity already answered stays, even once archived or done.
/// </summary>
public sealed record ReportScope(int PeriodId, string PeriodName, DateOnly DueDate, int BuildingId, string BuildingName,
    IReadOnlyList<ScopeMeasure> Measures, IReadOnlyList<ScopeActivity> Activities)
{
    /// <summary>Null when the period is not the cycle's or the building not the district's.</summary>
    public static async Task<ReportScope?> LoadAsync(AppDbContext db, CycleContext cycle, int periodId, int buildingId)
    {
        var period = await db.MonitoringPeriods.AsNoTracking().Where(p => p.Id == periodId && p.CycleId == cycle.CycleId && p.DistrictId == cycle.DistrictId)
            .Select(p => new { p.Name, p.DueDate }).SingleOrDefaultAsync();
        var building = await db.Buildings.AsNoTracking().Where(b => b.Id == buildingId && b.DistrictId == cycle.DistrictId).Select(b => b.Name).SingleOrDefaultAsync();
        if (period is null || building is null) return null;
        var reportId = await db.BuildingReports.Where(r => r.PeriodId == periodId && r.BuildingId == buildingId).Select(r => (int?)r.Id).SingleOrDefaultAsync() ?? 0;
        var measures = await db.PlanMeasures.AsNoTracking()
            .Where(m => m.CycleId == cycle.CycleId
                && ((m.ArchivedAt == null && db.ReportedMeasures.Any(r => r.CycleId == cycle.CycleId && r.MeasureId == m.Id))
                    || db.BuildingReportValues.Any(v => v.ReportId == reportId && v.MeasureId == m.Id)))
            .OrderBy(m => m.Id).Select(m => new ScopeMeasure(m.Id, m.Name, m.Kind, m.Unit)).ToListAsync();
        var activities = await db.PlanActivities.AsNoTracking()
            .Where(a => a.CycleId == cycle.CycleId
                && ((a.DoneDate == null
                        && (a.AllBuildings || db.PlanActivityBuildings.Any(x => x.ActivityId == a.Id && x.BuildingId == buildingId))
                        && db.PlanStrategies.Any(s => s.Id == a.StrategyId && db.PlanGoals.Any(g => g.Id == s.GoalId && g.State != GoalState.Archived)))
                    || db.BuildingReportActivities.Any(x => x.ReportId == reportId && x.ActivityId == a.Id)))
            .OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new ScopeActivity(a.Id, a.Title, a.DueDate, a.DoneDate)).ToListAsync();
        return new ReportScope(periodId, period.Name, period.DueDate, buildingId, building, measures, activities);
    }
}

public sealed record ReportValueView(int Index, ScopeMeasure Measure, string Value, string Note);

public sealed record ReportActivityView(int Index, ScopeActivity Activity, TeamJudgment? Judgment, string Note);

public sealed record ReportTransitionView(TemplateState From, TemplateState To, string Who, DateTimeOffset At, string Comment);

/// <summary>A building's report for one period: its entries (as posted when the form was refused), state and timeline.</summary>
public sealed record ReportPageModel(CycleContext Cycle, ReportScope Scope, TemplateState? State, Guid? Version, IReadOnlyList<ReportValueView> Values,
    IReadOnlyList<ReportActivityView> Activities, string Recommendations, bool CanEdit, bool CanSubmit, bool CanReview,
    IReadOnlyList<ReportTransitionView> Timeline, IReadOnlyList<string> Missing)
{
    public string? LastReturnComment => State == TemplateState.Returned ? Timeline.LastOrDefault(t => t.To == TemplateState.Returned)?.Comment : null;
}

/// <summary>The report page and its query: the report controller shows it, and shows it again when it refuses a change.</summary>
internal sealed class ReportPage(AppDbContext db, CycleContext cycle)
{
    public const string ViewName = "Report";

    public async Task<ReportPageModel> BuildAsync(ReportScope scope, BuildingReportForm? posted, IReadOnlyList<string> missing, bool maySubmit)
    {
        var report = await db.BuildingReports.AsNoTracking().Where(r => r.PeriodId == scope.PeriodId && r.BuildingId == scope.BuildingId)
            .Select(r => new
            {
                r.State, r.Version, r.Recommendations,
                Values = r.Values.Select(v => new { v.MeasureId, v.Value, v.Note }).ToList(),
                Activities = r.Activities.Select(a => new { a.ActivityId, a.Judgment, a.Note }).ToList(),
                Timeline = r.Transitions.OrderBy(t => t.At).Select(t => new
                {
                    t.From, t.To, t.At, t.Comment, Who = db.Users.NameOf(t.UserId),
                }).ToList(),
            })
            .SingleOrDefaultAsync();
        var values = scope.Measures.Select((m, i) =>
        {
            var input = posted?.Values.LastOrDefault(v => v.MeasureId == m.Id);
            var stored = report?.Values.FirstOrDefault(v => v.MeasureId == m.Id);
            var value = input is not null ? input.Value : stored?.Value;
            return new ReportValueView(i, m, value?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                input is not null ? input.Note ?? "" : stored?.Note ?? "");
        }).ToList();
        var activities = scope.Activities.Select((a, i) =>
        {
            var input = posted?.Activities.LastOrDefault(x => x.ActivityId == a.Id);
            var stored = report?.Activities.FirstOrDefault(x => x.ActivityId == a.Id);
            return input is not null ? new ReportActivityView(i, a, input.Judgment, input.Note ?? "") : new ReportActivityView(i, a, stored?.Judgment, stored?.Note ?? "");
        }).ToList();
        var state = report?.State;
        var editable = state is null || Domain.Review.ReviewWorkflow.IsEditable(state.Value);
        var canEdit = editable && cycle.Permissions.CanEditBuildingTemplate(scope.BuildingId);
        return new ReportPageModel(cycle, scope, state, report?.Version, values, activities, posted?.Recommendations ?? report?.Recommendations ?? "",
            canEdit, canEdit && maySubmit, state == TemplateState.Submitted && cycle.Permissions.CanReviewTemplates,
            report?.Timeline.Select(t => new ReportTransitionView(t.From, t.To, t.Who ?? "a former member", t.At, t.Comment)).ToList() ?? [], missing);
    }
}

public sealed record PeriodRow(int Id, string Name, DateOnly DueDate, IReadOnlyList<PeriodCell> Buildings);

/// <summary>One building's report of one period, as the list shows it.</summary>
public sealed record PeriodCell(int BuildingId, string BuildingName, TemplateState? State, DateTimeOffset? SubmittedAt);

public sealed record MeasureChoice(int Id, string Name, MeasureKind Kind, bool Reported);

/// <summary>
/// The building reports of a cycle: for the district side every building's state per period and the settings (periods,
/// reported measures); for a building team its own building's reports.
/// </summary>
public sealed record ReportsIndexModel(CycleContext Cycle, IReadOnlyList<PeriodRow> Periods, IReadOnlyList<MeasureChoice> Measures, bool CanManage,
    bool IsDistrictSide, DateOnly Today, PeriodForm? PostedPeriod);

/// <summary>
/// One monitoring period's page for the district team: the edit form (as posted when refused) and the removal, which names
/// the draft reports that go with it, or says why the period stays.
/// </summary>
public sealed record PeriodPageModel(CycleContext Cycle, int Id, string Name, DateOnly DueDate, Guid Version, int Drafts, int Reached,
    PeriodEditForm Edit, bool EditPosted, bool RemovalPosted)
{
    public const string ViewName = "Period";

    public bool Removable => Reached == 0;
}

/// <summary>What the period's removal says.</summary>
public static class PeriodRemoval
{
    public const string KeptReason =
        "This period stays: reports of it have been submitted to the district team (submitted, returned or accepted). Change its name or due date instead.";

    public static string Drafts(int count) => count == 1 ? "1 draft report" : $"{count} draft reports";
}
