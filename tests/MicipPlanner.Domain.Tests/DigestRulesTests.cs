using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using Microsoft.Extensions.Time.Testing;

namespace MicipPlanner.Domain.Tests;

/// <summary>The daily digest's day, its send hour, what goes in, and the claim decision that makes it go out once.</summary>
public sealed class DigestRulesTests
{
    private static readonly TimeZoneInfo Michigan = DistrictCalendar.Zone("America/Detroit");
    private static readonly DateOnly Today = new(2027, 3, 10);

    [Fact]
    public void The_digest_is_due_from_the_send_hour_of_the_districts_day_not_the_servers()
    {
        // 10:59 UTC on 10 March 2027 is 05:59 in Michigan (EST, UTC−5): not yet time at hour 6, though it is long past 6 in UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 10, 10, 59, 0, TimeSpan.Zero));
        Assert.Null(DigestRules.DueDate(clock.GetUtcNow(), Michigan, 6));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateOnly(2027, 3, 10), DigestRules.DueDate(clock.GetUtcNow(), Michigan, 6));

        // 03:00 UTC on 11 March is still 10 March (22:00) in Michigan: the digest due is the 10th's, already claimed or sent.
        clock.Advance(TimeSpan.FromHours(16));
        Assert.Equal(new DateOnly(2027, 3, 10), DigestRules.DueDate(clock.GetUtcNow(), Michigan, 6));
        // Michigan's midnight starts the 11th, but its digest waits for 06:00 there.
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(DigestRules.DueDate(clock.GetUtcNow(), Michigan, 6));
    }

    [Fact]
    public void The_day_follows_daylight_saving_time()
    {
        // 14 March 2027: Michigan moves to EDT (UTC−4). 10:00 UTC is 06:00 EDT the same day.
        Assert.Equal(new DateOnly(2027, 3, 14), DigestRules.DueDate(new DateTimeOffset(2027, 3, 14, 10, 0, 0, TimeSpan.Zero), Michigan, 6));
        Assert.Null(DigestRules.DueDate(new DateTimeOffset(2027, 3, 14, 9, 59, 0, TimeSpan.Zero), Michigan, 6));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24)]
    public void A_send_hour_outside_the_day_is_refused(int hour) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DigestRules.DueDate(DateTimeOffset.UnixEpoch, Michigan, hour));

    [Fact]
    public void Only_a_day_without_a_claim_is_claimed_and_only_a_failed_send_with_attempts_left_is_retried()
    {
        Assert.Equal(DigestClaimDecision.Claim, DigestRules.Decide(null, 0));
        Assert.Equal(DigestClaimDecision.Skip, DigestRules.Decide(DigestClaimState.Sent, 1));
        // An instance sending it now, or one that stopped mid-send: the mail may have gone, so it is not sent again.
        Assert.Equal(DigestClaimDecision.Skip, DigestRules.Decide(DigestClaimState.Sending, 1));
        Assert.Equal(DigestClaimDecision.Skip, DigestRules.Decide(DigestClaimState.NoticeOnly, 1));
        Assert.Equal(DigestClaimDecision.Retry, DigestRules.Decide(DigestClaimState.Failed, 1));
        Assert.Equal(DigestClaimDecision.Retry, DigestRules.Decide(DigestClaimState.Failed, DigestRules.MaxAttempts - 1));
        Assert.Equal(DigestClaimDecision.Skip, DigestRules.Decide(DigestClaimState.Failed, DigestRules.MaxAttempts));
    }

    [Theory]
    // start, due, done, last check-in (days from today) → the reason, if any
    [InlineData(-20, -1, null, -2, DigestItemKind.Overdue)]
    [InlineData(-20, 0, null, -2, DigestItemKind.DueSoon)] // due today: not overdue yet
    [InlineData(-20, 7, null, -2, DigestItemKind.DueSoon)] // due in exactly 7 days
    [InlineData(-20, 8, null, -2, null)]
    [InlineData(-20, -5, -6, null, null)] // done: never in the digest, however late it was
    [InlineData(-90, 60, null, -31, DigestItemKind.NoCheckIn)]
    [InlineData(-90, 60, null, -30, null)] // a check-in exactly 30 days ago is fresh
    [InlineData(-90, 3, null, -40, DigestItemKind.DueSoon)] // both: the most pressing reason only
    [InlineData(-90, -3, null, -40, DigestItemKind.Overdue)]
    [InlineData(5, 60, null, null, null)] // not started yet
    public void An_activity_is_listed_for_its_most_pressing_reason(int? start, int? due, int? done, int? lastCheckIn, DigestItemKind? expected)
    {
        DateOnly? Day(int? offset) => offset is { } d ? Today.AddDays(d) : null;
        var dates = new ActivityDates(Day(start), Day(due), Day(done));
        Assert.Equal(expected, DigestRules.KindOf(dates, Day(lastCheckIn), Today, ActivityStatusRules.DefaultStaleAfterDays));
    }

    [Fact]
    public void The_no_check_in_window_is_the_districts()
    {
        var dates = new ActivityDates(Today.AddDays(-90), Today.AddDays(60), null);
        Assert.Null(DigestRules.KindOf(dates, Today.AddDays(-40), Today, staleAfterDays: 45));
        Assert.Equal(DigestItemKind.NoCheckIn, DigestRules.KindOf(dates, Today.AddDays(-46), Today, staleAfterDays: 45));
    }

    [Theory]
    [InlineData(8, false, false)] // more than a week off
    [InlineData(7, false, true)] // a week off: in the digest
    [InlineData(0, false, true)] // due today
    [InlineData(-20, false, true)] // overdue stays until submitted
    [InlineData(3, true, false)] // submitted
    [InlineData(-20, true, false)]
    public void A_building_report_is_in_the_digest_from_a_week_before_its_due_date_until_submitted(int dueIn, bool submitted, bool due)
    {
        Assert.Equal(due, DigestRules.ReportIsDue(Today.AddDays(dueIn), submitted, Today));
    }
}
