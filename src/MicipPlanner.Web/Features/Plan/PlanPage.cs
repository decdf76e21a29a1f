using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

public sealed record RubricRowOption(string Key, int Number, string Label);

public sealed record LastCheckInView(DateOnly Date, TeamJudgment Judgment, string Note, string? EvidenceLink, string? By);

public sealed record ActivityView(int Id, string Title, string? OwnerName, DateOnly? StartDate, DateOnly? DueDate, DateOnly? DoneDate,
    bool AllBuildings, ActivityStatus Status, LastCheckInView? LastCheckIn);

public sealed record StrategyView(int Id, string Title, IReadOnlyList<PlanSystems> Systems, string FundingSource, decimal? PlannedAmount,
    IReadOnlyList<ActivityView> Activities);

public sealed record GoalView(int Id, string Statement, GoalState State, IReadOnlyList<RubricRowOption> Rows, IReadOnlyList<StrategyView> Strategies);

/// <summary>The form that was posted and refused, and the record it was to go under, so the page shows it again there.</summary>
public sealed record PlanPosted(GoalForm? Goal = null, int? GoalId = null, StrategyForm? Strategy = null, int? StrategyId = null,
    ActivityForm? Activity = null, int? ActivityId = null, CheckInForm? CheckIn = null);

public sealed record PlanPageModel(CycleContext Cycle, DateOnly Today, MonitoringWindows Windows, IReadOnlyList<GoalView> Goals,
    IReadOnlyList<RubricRowOption> RubricRows, IReadOnlyList<MemberOption> Team, bool CanBuild, PlanPosted Posted);

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
            .Select(g => new { g.Id, g.Statement, g.State, g.RubricRowKeys }).ToListAsync();
        var strategies = await db.PlanStrategies.AsNoTracking().Where(s => s.CycleId == cycle.CycleId && s.DistrictId == cycle.DistrictId)
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.GoalId, s.Title, s.Systems, s.FundingSource, s.PlannedAmount }).ToListAsync();
        var activities = await db.PlanActivities.AsNoTracking().Where(a => a.CycleId == cycle.CycleId && a.DistrictId == cycle.DistrictId)
            .OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.StrategyId, a.Title, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings,
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

        var rowsByKey = rubricRows.ToDictionary(r => r.Key);
        var activityViews = activities.Select(a =>
        {
            var last = lastCheckIns.GetValueOrDefault(a.Id);
            var status = ActivityStatusRules.Evaluate(new ActivityDates(a.StartDate, a.DueDate, a.DoneDate),
                last is null ? null : new LastCheckIn(last.Date, last.Judgment), today, windows);
            return (a.StrategyId, View: new ActivityView(a.Id, a.Title, a.Owner, a.StartDate, a.DueDate, a.DoneDate, a.AllBuildings, status,
                last is null ? null : new LastCheckInView(last.Date, last.Judgment, last.Note, last.EvidenceLink, last.By)));
        }).ToLookup(a => a.StrategyId, a => a.View);
        var strategyViews = strategies.ToLookup(s => s.GoalId, s => new StrategyView(s.Id, s.Title, PlanRules.Each(s.Systems), s.FundingSource,
            s.PlannedAmount, activityViews[s.Id].ToList()));
        var goalViews = goals.Select(g => new GoalView(g.Id, g.Statement, g.State,
            PlanRules.RowKeys(g.RubricRowKeys).Where(rowsByKey.ContainsKey).Select(k => rowsByKey[k]).ToList(),
            strategyViews[g.Id].ToList())).ToList();

        var canBuild = cycle.Permissions.CanBuildPlan;
        var team = canBuild ? await TeamDirectory.DistrictTeamAsync(db, cycle.DistrictId) : [];
        return new PlanPageModel(cycle, today, windows, goalViews, rubricRows, team, canBuild, posted ?? new PlanPosted());
    }
}
