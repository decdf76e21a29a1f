using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using Microsoft.Extensions.Time.Testing;

namespace MicipPlanner.Domain.Tests;

public sealed class ActivityStatusTests
{
    private static readonly DateOnly Today = new(2026, 11, 2);

    private static DateOnly? Day(int? offset) => offset is { } days ? Today.AddDays(days) : null;

    [Theory]
    // start, due, done (days from today; null: not set) → state
    [InlineData(-30, 10, -1, ActivityState.Done)]
    [InlineData(-30, -5, 3, ActivityState.Done)] // a done date wins over an overdue due date
    [InlineData(-30, -1, null, ActivityState.Overdue)] // due yesterday
    [InlineData(-30, 0, null, ActivityState.Approaching)] // due today: the team has the day
    [InlineData(-30, 14, null, ActivityState.Approaching)] // last day of the window
    [InlineData(-30, 15, null, ActivityState.OnTarget)] // just outside it
    [InlineData(0, 60, null, ActivityState.OnTarget)] // starting today counts as started
    [InlineData(1, 60, null, ActivityState.NotStarted)]
    [InlineData(1, 10, null, ActivityState.Approaching)] // not begun, but due soon
    [InlineData(5, -1, null, ActivityState.Overdue)]
    [InlineData(-10, null, null, ActivityState.OnTarget)]
    [InlineData(null, 60, null, ActivityState.OnTarget)] // only a due date: taken to be under way
    [InlineData(null, 3, null, ActivityState.Approaching)]
    [InlineData(null, null, null, ActivityState.NotStarted)]
    public void The_state_follows_the_dates_at_their_boundaries(int? start, int? due, int? done, ActivityState expected) =>
        Assert.Equal(expected, ActivityStatusRules.StateOf(new ActivityDates(Day(start), Day(due), Day(done)), Today));

    [Fact]
    public void The_district_chooses_its_approaching_window()
    {
        var dates = new ActivityDates(Day(-30), Day(10), null);
        Assert.Equal(ActivityState.Approaching, ActivityStatusRules.StateOf(dates, Today));
        Assert.Equal(ActivityState.OnTarget, ActivityStatusRules.StateOf(dates, Today, approachingDays: 7));
        Assert.Equal(ActivityState.Approaching, ActivityStatusRules.StateOf(dates with { Due = Day(7) }, Today, approachingDays: 7));
        Assert.Equal(ActivityState.Approaching, ActivityStatusRules.StateOf(dates with { Due = Day(0) }, Today, approachingDays: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivityStatusRules.StateOf(dates, Today, approachingDays: -1));
    }

    [Fact]
    public void Today_is_the_districts_date_so_an_activity_due_today_turns_overdue_at_its_midnight_not_the_servers()
    {
        // 03:30 UTC on Nov 3 is 22:30 on Nov 2 in Michigan (EST, UTC−5, since Nov 1).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 3, 30, 0, TimeSpan.Zero));
        var dates = new ActivityDates(new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 2), null);

        var today = DistrictCalendar.Today(clock, "America/Detroit");
        Assert.Equal(new DateOnly(2026, 11, 2), today);
        Assert.Equal(ActivityState.Approaching, ActivityStatusRules.StateOf(dates, today));

        clock.Advance(TimeSpan.FromMinutes(89)); // 23:59 in Michigan
        Assert.Equal(ActivityState.Approaching, ActivityStatusRules.StateOf(dates, DistrictCalendar.Today(clock, "America/Detroit")));
        clock.Advance(TimeSpan.FromMinutes(1)); // midnight
        Assert.Equal(ActivityState.Overdue, ActivityStatusRules.StateOf(dates, DistrictCalendar.Today(clock, "America/Detroit")));
        // In a zone further west it is still Nov 2.
        Assert.Equal(new DateOnly(2026, 11, 2), DistrictCalendar.Today(clock, "America/Los_Angeles"));
    }

    [Fact]
    public void An_unset_zone_is_the_default_and_an_unknown_one_is_utc()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 3, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 2), DistrictCalendar.Today(clock, null));
        Assert.Equal(new DateOnly(2026, 11, 2), DistrictCalendar.Today(clock, " "));
        Assert.Equal(new DateOnly(2026, 11, 3), DistrictCalendar.Today(clock, "Nowhere/Atlantis"));
    }

    [Theory]
    // start, last check-in (days from today) → stale after the default 30 days
    [InlineData(-90, -30, false)] // a check-in exactly 30 days ago is still fresh
    [InlineData(-90, -31, true)]
    [InlineData(-30, null, false)] // never checked in, started 30 days ago
    [InlineData(-31, null, true)]
    [InlineData(-20, -60, false)] // a check-in from planning, before the start: counted from the start
    [InlineData(-31, -60, true)]
    [InlineData(null, -31, true)] // no start date: counted from the check-in
    [InlineData(null, -30, false)]
    [InlineData(null, null, false)] // nothing to count from
    [InlineData(1, -90, false)] // not begun: nothing to check in on yet
    public void Stale_means_under_way_with_no_check_in_for_more_than_the_window(int? start, int? lastCheckIn, bool stale) =>
        Assert.Equal(stale, ActivityStatusRules.IsStale(new ActivityDates(Day(start), Day(60), null), Day(lastCheckIn), Today));

    [Fact]
    public void A_done_activity_is_never_stale_and_the_window_is_the_districts()
    {
        Assert.False(ActivityStatusRules.IsStale(new ActivityDates(Day(-200), Day(-100), Day(-100)), null, Today));
        var dates = new ActivityDates(Day(-90), Day(60), null);
        Assert.False(ActivityStatusRules.IsStale(dates, Day(-14), Today, staleAfterDays: 14));
        Assert.True(ActivityStatusRules.IsStale(dates, Day(-15), Today, staleAfterDays: 14));
    }

    [Fact]
    public void The_status_carries_the_last_judgment_and_uses_the_districts_windows()
    {
        var dates = new ActivityDates(Day(-90), Day(20), null);
        var status = ActivityStatusRules.Evaluate(dates, new LastCheckIn(Day(-20)!.Value, TeamJudgment.AtRisk), Today,
            new MonitoringWindows(ApproachingDays: 21, StaleAfterDays: 14));

        Assert.Equal(new ActivityStatus(ActivityState.Approaching, TeamJudgment.AtRisk, Day(-20), true, Day(20)), status);
        Assert.False(status.NeedsAttention);

        var neverCheckedIn = ActivityStatusRules.Evaluate(dates, null, Today);
        Assert.Equal(new ActivityStatus(ActivityState.OnTarget, null, null, true, Day(20)), neverCheckedIn);
    }

    [Fact]
    public void The_monitoring_meeting_starts_with_overdue_and_off_track_activities()
    {
        static ActivityStatus S(ActivityState state, int? due, TeamJudgment? judgment = null, bool stale = false) =>
            new(state, judgment, null, stale, Day(due));
        var activities = new (string Name, ActivityStatus Status)[]
        {
            ("done", S(ActivityState.Done, -10, TeamJudgment.OffTrack)),
            ("not started", S(ActivityState.NotStarted, 90)),
            ("on target", S(ActivityState.OnTarget, 60, TeamJudgment.OnTrack)),
            ("on target, no due date", S(ActivityState.OnTarget, null)),
            ("approaching", S(ActivityState.Approaching, 5)),
            ("stale", S(ActivityState.OnTarget, 40, stale: true)),
            ("at risk", S(ActivityState.OnTarget, 50, TeamJudgment.AtRisk)),
            ("off track", S(ActivityState.OnTarget, 30, TeamJudgment.OffTrack)),
            ("overdue recently", S(ActivityState.Overdue, -2, TeamJudgment.OnTrack)),
            ("overdue longest", S(ActivityState.Overdue, -20)),
        };

        var order = ActivityStatusRules.OrderForMeeting(activities, a => a.Status).Select(a => a.Name);

        Assert.Equal(
        [
            "overdue longest", "overdue recently", "off track", "at risk", "stale", "approaching",
            "on target", "on target, no due date", "not started", "done",
        ], order);
    }

    [Fact]
    public void The_glance_counts_each_state_and_leaves_done_work_out_of_the_warnings()
    {
        ActivityStatus S(ActivityState state, TeamJudgment? judgment = null, bool stale = false) => new(state, judgment, null, stale, null);

        var glance = PlanGlance.Of(
        [
            S(ActivityState.NotStarted), S(ActivityState.OnTarget, TeamJudgment.OnTrack), S(ActivityState.OnTarget, stale: true),
            S(ActivityState.Approaching, TeamJudgment.AtRisk), S(ActivityState.Overdue, TeamJudgment.OffTrack), S(ActivityState.Overdue),
            S(ActivityState.Done, TeamJudgment.OffTrack),
        ]);

        Assert.Equal(new PlanGlance(NotStarted: 1, OnTarget: 2, Approaching: 1, Overdue: 2, Done: 1, AtRiskOrOffTrack: 2, Stale: 1), glance);
        Assert.Equal(7, glance.Total);
        Assert.Equal(0, PlanGlance.Of([]).Total);
    }
}
