using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

public sealed record RubricRowOption(string Key, int Number, string Label);

public sealed record LastCheckInView(DateOnly Date, TeamJudgment Judgment, string Note, string? EvidenceLink, string? By);

public sealed record ActivityView(int Id, string Title, string? OwnerUserId, string? OwnerName, DateOnly? StartDate, DateOnly? DueDate,
    DateOnly? DoneDate, bool AllBuildings, IReadOnlyList<string> BuildingNames, int? SourceActionItemId, ActivityStatus Status,
    LastCheckInView? LastCheckIn, Guid Version);

public sealed record StrategyView(int Id, string Title, IReadOnlyList<PlanSystems> Systems, string FundingSource, decimal? PlannedAmount,
    IReadOnlyList<ActivityView> Activities);

public sealed record GoalView(int Id, string Statement, GoalState State, IReadOnlyList<RubricRowOption> Rows, IReadOnlyList<StrategyView> Strategies,
    Guid Version);

public sealed record BuildingOption(int Id, string Name);

/// <summary>An action item of the cycle that no activity was filed from yet.</summary>
public sealed record UnfiledActionItem(int Id, string Title, string? OwnerName, DateOnly? DueDate, ActionStatus Status);

/// <summary>A next action written on a Maintaining Balance template of the cycle (the district's or a building's).</summary>
public sealed record TemplateNextAction(string Where, int RowNumber, BalanceFunction Function, string NextAction, string Owner, DateOnly? TargetDate);

/// <summary>The form that was posted and refused, and the record it was to go under, so the page shows it again there.</summary>
public sealed record PlanPosted(GoalForm? Goal = null, int? GoalId = null, StrategyForm? Strategy = null, int? StrategyId = null,
    ActivityForm? Activity = null, int? ActivityId = null, CheckInForm? CheckIn = null, GoalStateForm? GoalState = null,
    ActivityEditForm? ActivityEdit = null, FileActionItemForm? File = null, int? ActionItemId = null);

public sealed record PlanPageModel(CycleContext Cycle, DateOnly Today, MonitoringWindows Windows, IReadOnlyList<GoalView> Goals,
    IReadOnlyList<RubricRowOption> RubricRows, IReadOnlyList<MemberOption> Team, bool CanBuild, PlanPosted Posted,
    IReadOnlyList<BuildingOption> Buildings, IReadOnlyList<UnfiledActionItem> UnfiledActionItems, IReadOnlyList<TemplateNextAction> NextActions)
{
    public IEnumerable<GoalView> OpenGoals => Goals.Where(g => g.State != GoalState.Archived);
    public IEnumerable<GoalView> ArchivedGoals => Goals.Where(g => g.State == GoalState.Archived);
}

/// <summary>Reads the cycle's plan for its page: goals → strategies → activities, each activity with its derived state.</summary>
public static class PlanPage
{
    public static async Task<PlanPageModel> BuildAsync(AppDbContext db, CycleContext cycle, IReadOnlyList<RubricRowOption> rubricRows,
        TimeProvider clock, PlanPosted? posted = null)
    {
        var today = DistrictCalendar.Today(clock, cycle.District.TimeZoneId);
        var windows = cycle.District.Windows;
        var goals = await db.PlanGoals.AsNoTracking().Where(g => g.CycleId == cycle.CycleId && g.DistrictId == cycle.DistrictId)
            .OrderBy(g => g.State == GoalState.Archived).ThenBy(g => g.SortOrder).ThenBy(g => g.Id)
            .Select(g => new { g.Id, g.Statement, g.State, g.RubricRowKeys, g.Version }).ToListAsync();
        var strategies = await db.PlanStrategies.AsNoTracking().Where(s => s.CycleId == cycle.CycleId && s.DistrictId == cycle.DistrictId)
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.GoalId, s.Title, s.Systems, s.FundingSource, s.PlannedAmount }).ToListAsync();
        var activities = await db.PlanActivities.AsNoTracking().Where(a => a.CycleId == cycle.CycleId && a.DistrictId == cycle.DistrictId)
            .OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.StrategyId, a.Title, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings, a.OwnerUserId, a.SourceActionItemId, a.Version,
                Owner = db.Users.Where(u => u.Id == a.OwnerUserId).Select(u => u.DisplayName).FirstOrDefault(),
            }).ToListAsync();
        // The latest check-in of each activity (latest date, then latest recorded): the team's current judgment.
        var lastCheckIns = await db.PlanCheckIns.AsNoTracking().Where(c => c.CycleId == cycle.CycleId && c.DistrictId == cycle.DistrictId)
            .GroupBy(c => c.ActivityId)
            .Select(g => g.OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
                .Select(c => new
                {
                    c.ActivityId, c.Date, c.Judgment, c.Note, c.EvidenceLink,
                    By = db.Users.Where(u => u.Id == c.ByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                }).First())
            .ToDictionaryAsync(c => c.ActivityId);

        var buildings = await db.Buildings.AsNoTracking().Where(b => b.DistrictId == cycle.DistrictId).OrderBy(b => b.Name)
            .Select(b => new BuildingOption(b.Id, b.Name)).ToListAsync();
        var buildingNames = buildings.ToDictionary(b => b.Id, b => b.Name);
        var involved = (await db.PlanActivityBuildings.AsNoTracking()
                .Where(x => x.DistrictId == cycle.DistrictId && db.PlanActivities.Any(a => a.Id == x.ActivityId && a.CycleId == cycle.CycleId))
                .Select(x => new { x.ActivityId, x.BuildingId }).ToListAsync())
            .ToLookup(x => x.ActivityId, x => buildingNames.GetValueOrDefault(x.BuildingId, ""));
        // Action items not yet in the plan: the raw material the team files under strategies. One whose filing was just
        // refused stays listed (though filed meanwhile) so the refusal shows next to its form.
        var refusedItem = posted?.File is not null ? posted.ActionItemId : null;
        var unfiled = await db.ActionItems.AsNoTracking()
            .Where(i => i.CycleId == cycle.CycleId && i.DistrictId == cycle.DistrictId
                && (!db.PlanActivities.Any(a => a.SourceActionItemId == i.Id) || i.Id == refusedItem))
            .OrderBy(i => i.Status == ActionStatus.Done).ThenBy(i => i.DueDate == null).ThenBy(i => i.DueDate).ThenBy(i => i.Id)
            .Select(i => new UnfiledActionItem(i.Id, i.Title, db.Users.Where(u => u.Id == i.OwnerUserId).Select(u => u.DisplayName).FirstOrDefault(),
                i.DueDate, i.Status)).ToListAsync();
        var nextActions = (await (from item in db.BalanceTemplateItems.AsNoTracking()
                                  join template in db.BalanceTemplates on item.TemplateId equals template.Id
                                  where template.CycleId == cycle.CycleId && template.DistrictId == cycle.DistrictId && item.NextAction != ""
                                  select new { template.BuildingId, item.RowNumber, item.Function, item.NextAction, item.Owner, item.TargetDate })
                .ToListAsync())
            .Select(n => new TemplateNextAction(n.BuildingId is { } b ? buildingNames.GetValueOrDefault(b, "A building") : "District",
                n.RowNumber, n.Function, n.NextAction, n.Owner, n.TargetDate))
            .OrderBy(n => n.Where == "District" ? 0 : 1).ThenBy(n => n.Where).ThenBy(n => n.RowNumber).ThenBy(n => n.Function).ToList();

        var rowsByKey = rubricRows.ToDictionary(r => r.Key);
        var activityViews = activities.Select(a =>
        {
            var last = lastCheckIns.GetValueOrDefault(a.Id);
            var status = ActivityStatusRules.Evaluate(new ActivityDates(a.StartDate, a.DueDate, a.DoneDate),
                last is null ? null : new LastCheckIn(last.Date, last.Judgment), today, windows);
            return (a.StrategyId, View: new ActivityView(a.Id, a.Title, a.OwnerUserId, a.Owner, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings,
                involved[a.Id].Order().ToList(), a.SourceActionItemId, status,
                last is null ? null : new LastCheckInView(last.Date, last.Judgment, last.Note, last.EvidenceLink, last.By), a.Version));
        }).ToLookup(a => a.StrategyId, a => a.View);
        var strategyViews = strategies.ToLookup(s => s.GoalId, s => new StrategyView(s.Id, s.Title, PlanRules.Each(s.Systems), s.FundingSource,
            s.PlannedAmount, activityViews[s.Id].ToList()));
        var goalViews = goals.Select(g => new GoalView(g.Id, g.Statement, g.State,
            PlanRules.RowKeys(g.RubricRowKeys).Where(rowsByKey.ContainsKey).Select(k => rowsByKey[k]).ToList(),
            strategyViews[g.Id].ToList(), g.Version)).ToList();

        var canBuild = cycle.Permissions.CanBuildPlan;
        var team = canBuild ? await TeamDirectory.DistrictTeamAsync(db, cycle.DistrictId) : [];
        return new PlanPageModel(cycle, today, windows, goalViews, rubricRows, team, canBuild, posted ?? new PlanPosted(),
            buildings, unfiled, nextActions);
    }
}
