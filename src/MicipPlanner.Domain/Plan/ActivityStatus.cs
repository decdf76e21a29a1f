namespace MicipPlanner.Domain.Plan;

/// <summary>An activity's state as derived from its dates on a given day.</summary>
public enum ActivityState
{
    NotStarted,
    OnTarget,
    Approaching,
    Overdue,
    Done,
}

/// <summary>The team's own judgment at a check-in.</summary>
public enum TeamJudgment
{
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>An activity's planned start and due dates and the date it was done, all in the district's calendar.</summary>
public sealed record ActivityDates(DateOnly? Start, DateOnly? Due, DateOnly? Done);

/// <summary>The activity's most recent check-in: its date in the district's calendar and the team's judgment, if given.</summary>
public sealed record LastCheckIn(DateOnly Date, TeamJudgment? Judgment);

/// <summary>
/// A district's monitoring windows: an activity is "approaching" when due within <see cref="ApproachingDays"/>, and
/// "stale" after more than <see cref="StaleAfterDays"/> days without a check-in.
/// </summary>
public sealed record MonitoringWindows(int ApproachingDays = ActivityStatusRules.DefaultApproachingDays,
    int StaleAfterDays = ActivityStatusRules.DefaultStaleAfterDays)
{
    public static readonly MonitoringWindows Default = new();

    /// <summary>The range a district may choose: "approaching" from the due day itself up to a quarter of a year ahead.</summary>
    public const int MaxApproachingDays = 90;

    /// <summary>The range a district may choose for "no check-in for …": a week to half a year.</summary>
    public const int MinStaleAfterDays = 7, MaxStaleAfterDays = 180;
}

/// <summary>Everything the monitoring screens show about an activity's progress on one day.</summary>
/// <param name="State">Derived from the dates.</param>
/// <param name="Judgment">The team's judgment at the last check-in, or null when there is none.</param>
/// <param name="LastCheckInDate">The date of the last check-in, or null when there has been none.</param>
/// <param name="IsStale">Under way and no check-in for longer than the district's window.</param>
/// <param name="Due">The due date, carried for ordering.</param>
public sealed record ActivityStatus(ActivityState State, TeamJudgment? Judgment, DateOnly? LastCheckInDate, bool IsStale, DateOnly? Due)
{
    /// <summary>Overdue, or judged off track by the team, and not done: first on the monitoring meeting's list.</summary>
    public bool NeedsAttention => State == ActivityState.Overdue || (State != ActivityState.Done && Judgment == TeamJudgment.OffTrack);
}

/// <summary>
/// Derives an activity's state from its dates, on "today" in the district's calendar (see
/// <see cref="Organisation.DistrictCalendar"/>). The boundaries, in the order they are tested:
/// <list type="number">
/// <item><b>Done</b>: a done date is set, whatever the other dates say.</item>
/// <item><b>Overdue</b>: the due date is before today. An activity due today is not overdue yet: the team has the day.</item>
/// <item><b>Approaching</b>: today ≤ due ≤ today + the window (default 14 days), so "due today" and "due in exactly 14
/// days" are both approaching. This holds even when the start date is still ahead: a due date that close needs
/// attention whether or not the work has begun.</item>
/// <item><b>On target</b>: started (start ≤ today; starting today counts), or no start date but a due date further off
/// than the window: with only a due date planned, the work is taken to be under way towards it.</item>
/// <item><b>Not started</b>: the start date is after today, or the activity has neither a start nor a due date.</item>
/// </list>
/// </summary>
public static class ActivityStatusRules
{
    public const int DefaultApproachingDays = 14;
    public const int DefaultStaleAfterDays = 30;

    public static ActivityState StateOf(ActivityDates dates, DateOnly today, int approachingDays = DefaultApproachingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(approachingDays);
        if (dates.Done is not null) return ActivityState.Done;
        if (dates.Due is { } due)
        {
            if (due < today) return ActivityState.Overdue;
            if (due <= today.AddDays(approachingDays)) return ActivityState.Approaching;
        }
        if (dates.Start is { } start) return start <= today ? ActivityState.OnTarget : ActivityState.NotStarted;
        return dates.Due is null ? ActivityState.NotStarted : ActivityState.OnTarget;
    }

    /// <summary>
    /// Stale: the activity is under way and has gone more than <paramref name="staleAfterDays"/> days without a check-in.
    /// The days are counted from the last check-in, or from the start when that is later (a check-in made while planning
    /// says nothing about the work) or when there has been no check-in. A check-in exactly that many days ago is still
    /// fresh. A done activity, or one whose start is still ahead, is never stale; with neither a start date nor a
    /// check-in there is nothing to count from.
    /// </summary>
    public static bool IsStale(ActivityDates dates, DateOnly? lastCheckIn, DateOnly today, int staleAfterDays = DefaultStaleAfterDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(staleAfterDays);
        if (dates.Done is not null) return false;
        if (dates.Start is { } start && start > today) return false;
        DateOnly? since = (dates.Start, lastCheckIn) switch
        {
            ({ } s, { } c) => s > c ? s : c,
            ({ } s, null) => s,
            (null, { } c) => c,
            _ => null,
        };
        return since is { } from && today.DayNumber - from.DayNumber > staleAfterDays;
    }

    public static ActivityStatus Evaluate(ActivityDates dates, LastCheckIn? lastCheckIn, DateOnly today, MonitoringWindows? windows = null)
    {
        windows ??= MonitoringWindows.Default;
        return new ActivityStatus(StateOf(dates, today, windows.ApproachingDays), lastCheckIn?.Judgment, lastCheckIn?.Date,
            IsStale(dates, lastCheckIn?.Date, today, windows.StaleAfterDays), dates.Due);
    }

    /// <summary>
    /// Place in the monitoring meeting's list, lowest first: overdue or off track (0), at risk (1), stale (2),
    /// approaching (3), on target (4), not started (5), done (6).
    /// </summary>
    public static int MeetingRank(ActivityStatus status) => status switch
    {
        { State: ActivityState.Done } => 6,
        { NeedsAttention: true } => 0,
        { Judgment: TeamJudgment.AtRisk } => 1,
        { IsStale: true } => 2,
        { State: ActivityState.Approaching } => 3,
        { State: ActivityState.OnTarget } => 4,
        _ => 5,
    };

    /// <summary>
    /// Orders activities for the monitoring meeting: by <see cref="MeetingRank"/>, then by due date (earliest first,
    /// none last). The caller may add its own tie-breaker (e.g. <c>.ThenBy(a => a.Title)</c>).
    /// </summary>
    public static IOrderedEnumerable<T> OrderForMeeting<T>(IEnumerable<T> activities, Func<T, ActivityStatus> statusOf) =>
        activities.OrderBy(a => MeetingRank(statusOf(a)))
            .ThenBy(a => statusOf(a).Due is null)
            .ThenBy(a => statusOf(a).Due);
}

/// <summary>The plan at a glance, as the cycle dashboard and the facilitator's desk show it: activities by derived state,
/// and how many the team judged at risk or off track, or left without a check-in too long (done ones count in neither).</summary>
public sealed record PlanGlance(int NotStarted, int OnTarget, int Approaching, int Overdue, int Done, int AtRiskOrOffTrack, int Stale)
{
    public static readonly PlanGlance Empty = new(0, 0, 0, 0, 0, 0, 0);

    public int Total => NotStarted + OnTarget + Approaching + Overdue + Done;

    public static PlanGlance Of(IEnumerable<ActivityStatus> statuses)
    {
        var list = statuses.ToList();
        int Count(ActivityState state) => list.Count(s => s.State == state);
        return new PlanGlance(Count(ActivityState.NotStarted), Count(ActivityState.OnTarget), Count(ActivityState.Approaching),
            Count(ActivityState.Overdue), Count(ActivityState.Done),
            list.Count(s => s.State != ActivityState.Done && s.Judgment is TeamJudgment.AtRisk or TeamJudgment.OffTrack),
            list.Count(s => s.IsStale));
    }
}
