using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Monitoring;

/// <summary>An activity as the meeting lists it: where it sits in the plan, and its state.</summary>
public sealed record MeetingActivity(ActivityView Activity, int GoalNumber, string Goal, string Strategy);

/// <summary>One group of the meeting's list (overdue or off track first, done last).</summary>
public sealed record MeetingGroup(string Key, string Heading, IReadOnlyList<MeetingActivity> Activities);

/// <summary>A check-in recorded since the last meeting.</summary>
public sealed record ChangedCheckIn(int ActivityId, string Activity, DateOnly Date, TeamJudgment Judgment, string Note, string? By);

/// <summary>A measure of a goal still worked on (its end target measure, or an interim measure of one of its strategies or activities).</summary>
public sealed record MeetingMeasure(int GoalNumber, string Goal, MeasureView Measure);

/// <summary>A value recorded since the last meeting, with the measure it is a value of.</summary>
public sealed record NewValue(MeetingMeasure Measure, MeasureValueView Value);

/// <summary>A building's monitoring report submitted since the last meeting (its state now: still waiting, accepted or returned).</summary>
public sealed record SubmittedReport(int PeriodId, string Period, int BuildingId, string Building, DateTimeOffset SubmittedAt, TemplateState State);

/// <summary>The last recorded meeting before today, or null when none was recorded.</summary>
public sealed record LastMeeting(DateOnly HeldOn, string? By);

public sealed record MeetingPageModel(CycleContext Cycle, DateOnly Today, MonitoringWindows Windows, LastMeeting? Last, DateOnly Since,
    bool RecordedToday, IReadOnlyList<MeetingGroup> Groups, IReadOnlyList<ChangedCheckIn> CheckInsSince, IReadOnlyList<MeetingActivity> DoneSince,
    IReadOnlyList<MeetingActivity> AddedSince, PlanGlance Glance, IReadOnlyList<MeetingMeasure> Measures, IReadOnlyList<NewValue> ValuesSince,
    IReadOnlyList<SubmittedReport> ReportsSince, bool CanRecord, IReadOnlyList<BuildingOption> Buildings, bool ForPrint = false)
{
    public int NewValuesSince => ValuesSince.Count;

    public int ActivityCount => Groups.Sum(g => g.Activities.Count);
}

/// <summary>
/// The monthly monitoring meeting: the plan's activities in the order a team should talk about them, and what changed
/// since the last recorded meeting (or, before the first, in the last <see cref="FirstMeetingLooksBackDays"/> days).
/// Reads the plan through <see cref="PlanPage"/>, so the states are the plan page's.
/// </summary>
public static class MeetingPage
{
    public const int FirstMeetingLooksBackDays = 30;

    public static async Task<MeetingPageModel> BuildAsync(AppDbContext db, CycleContext cycle, IReadOnlyList<RubricRowOption> rubricRows,
        TimeProvider clock, KeptRunCharts keptCharts)
    {
        var plan = await PlanPage.BuildAsync(db, cycle, rubricRows, clock, null, forMeeting: true, keptCharts);
        var today = plan.Today;
        var meetings = await LastTwoMeetings(db, cycle.CycleId, cycle.DistrictId).ToListAsync();
        var recordedToday = meetings.Any(m => m.HeldOn == today);
        var last = meetings.FirstOrDefault(m => m.HeldOn < today);
        var since = last?.HeldOn ?? today.AddDays(-FirstMeetingLooksBackDays);
        // Changes are counted from the moment the last meeting was recorded (a check-in typed after the meeting on the
        // same day is news for the next one); before the first meeting, from the start of the look-back's first day.
        var sinceInstant = last?.RecordedAt ?? new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var activities = plan.Goals.Where(g => g.State != GoalState.Archived)
            .SelectMany((g, i) => g.Strategies.SelectMany(s => s.Activities.Select(a => new MeetingActivity(a, i + 1, g.Statement, s.Title))))
            .ToList();
        var groups = ActivityStatusRules.OrderForMeeting(activities, a => a.Activity.Status).ThenBy(a => a.Activity.Title, StringComparer.CurrentCulture)
            .GroupBy(a => ActivityStatusRules.MeetingRank(a.Activity.Status))
            .Select(g => new MeetingGroup(GroupKeys[g.Key], Heading(g.Key, plan.Windows), g.ToList()))
            .ToList();

        var byId = activities.ToDictionary(a => a.Activity.Id);
        var checkIns = await CheckInsSince(db, cycle.CycleId, cycle.DistrictId, sinceInstant).ToListAsync();
        var changed = checkIns.Where(c => byId.ContainsKey(c.ActivityId))
            .Select(c => new ChangedCheckIn(c.ActivityId, byId[c.ActivityId].Activity.Title, c.Date, c.Judgment, c.Note, c.By)).ToList();
        var doneSince = activities.Where(a => a.Activity.DoneDate is { } done && done > since).OrderBy(a => a.Activity.DoneDate).ToList();
        var addedSince = activities.Where(a => a.Activity.CreatedAt > sinceInstant).OrderBy(a => a.Activity.CreatedAt).ToList();

        // Every measure still watched of the goals still worked on, the goal's own first, in the plan's order.
        var measures = plan.Goals.Where(g => g.State != GoalState.Archived)
            .SelectMany((g, i) => g.Measures.Concat(g.Strategies.SelectMany(s => s.Measures.Concat(s.Activities.SelectMany(a => a.Measures))))
                .Where(m => !m.IsArchived).Select(m => new MeetingMeasure(i + 1, g.Statement, m)))
            .ToList();
        // A value is news when it was taken after the last meeting; the newest first, as the check-ins. Only these are read:
        // the charts were drawn (or kept) from the measures' values.
        var shown = measures.ToDictionary(m => m.Measure.Id);
        var buildingNames = plan.Buildings.ToDictionary(b => b.Id, b => b.Name);
        var newValues = (await PlanReads.Values(db, cycle.CycleId, cycle.DistrictId, since).ToListAsync())
            .Where(v => shown.ContainsKey(v.MeasureId))
            .Select(v => new NewValue(shown[v.MeasureId], PlanPage.ValueViewOf(v, buildingNames)))
            .OrderByDescending(n => n.Value.Date).ThenByDescending(n => n.Value.Id).ToList();

        // A building team sees its own building's reports only, as on the reports page.
        var reports = await ReportsSubmittedSince(db, cycle.CycleId, cycle.DistrictId, sinceInstant).ToListAsync();
        var reportsSince = reports.Where(r => cycle.Permissions.CanViewBuildingTemplate(r.BuildingId))
            .Select(r => new SubmittedReport(r.PeriodId, r.Period ?? "", r.BuildingId, r.Building ?? "", r.SubmittedAt!.Value, r.State))
            .OrderByDescending(r => r.SubmittedAt).ToList();

        return new MeetingPageModel(cycle, today, plan.Windows, last is null ? null : new LastMeeting(last.HeldOn, last.By), since, recordedToday,
            groups, changed, doneSince, addedSince, PlanGlance.Of(activities.Select(a => a.Activity.Status)), measures, newValues, reportsSince,
            plan.CanBuild, plan.Buildings);
    }

    private sealed record MeetingRow(DateOnly HeldOn, DateTimeOffset RecordedAt, string? By);

    private sealed record CheckInRow(int ActivityId, DateOnly Date, TeamJudgment Judgment, string Note, string? By);

    private sealed record ReportRow(int PeriodId, int BuildingId, DateTimeOffset? SubmittedAt, TemplateState State, string? Period, string? Building);

    // Compiled once, as the plan's reads (PlanReads): the page is read again after every save in the district.
    private static readonly Func<AppDbContext, int, int, IAsyncEnumerable<MeetingRow>> LastTwoMeetings = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId) => db.PlanMeetings.AsNoTracking().Where(m => m.CycleId == cycleId && m.DistrictId == districtId)
            .OrderByDescending(m => m.HeldOn).Take(2)
            .Select(m => new MeetingRow(m.HeldOn, m.RecordedAt, db.Users.NameOf(m.RecordedByUserId))));

    private static readonly Func<AppDbContext, int, int, DateTimeOffset, IAsyncEnumerable<CheckInRow>> CheckInsSince = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId, DateTimeOffset since) => db.PlanCheckIns.AsNoTracking()
            .Where(c => c.CycleId == cycleId && c.DistrictId == districtId && c.CreatedAt > since)
            .OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
            .Select(c => new CheckInRow(c.ActivityId, c.Date, c.Judgment, c.Note,
                db.Users.NameOf(c.ByUserId))));

    /// <summary>Building reports submitted since the last meeting, in one statement with their period's and building's names.</summary>
    private static readonly Func<AppDbContext, int, int, DateTimeOffset, IAsyncEnumerable<ReportRow>> ReportsSubmittedSince = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int districtId, DateTimeOffset since) => db.BuildingReports.AsNoTracking()
            .Where(r => r.CycleId == cycleId && r.DistrictId == districtId && r.SubmittedAt != null && r.SubmittedAt > since)
            .Select(r => new ReportRow(r.PeriodId, r.BuildingId, r.SubmittedAt, r.State,
                db.MonitoringPeriods.Where(p => p.Id == r.PeriodId).Select(p => p.Name).FirstOrDefault(),
                db.Buildings.Where(b => b.Id == r.BuildingId).Select(b => b.Name).FirstOrDefault())));

    private static readonly string[] GroupKeys = ["attention", "at-risk", "stale", "approaching", "on-target", "not-started", "done"];

    private static string Heading(int rank, MonitoringWindows windows) => rank switch
    {
        0 => "Overdue or off track",
        1 => "At risk",
        2 => $"No check-in for more than {windows.StaleAfterDays} days",
        3 => $"Approaching: due within {windows.ApproachingDays} days",
        4 => "On target",
        5 => "Not started",
        _ => "Done",
    };
}
