using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Domain.Tests;

public sealed class MeasureTargetTests
{
    private static readonly MeasureTarget[] Interim = [new(new DateOnly(2027, 3, 1), 65m), new(new DateOnly(2026, 12, 1), 60m)];
    private static readonly MeasureTarget End = new(new DateOnly(2027, 6, 1), 70m);

    private static MeasurePoint[] Values(params (int Year, int Month, decimal Value)[] values) =>
        values.Select(v => new MeasurePoint(new DateOnly(v.Year, v.Month, 15), v.Value)).ToArray();

    [Fact]
    public void Higher_is_better_the_latest_value_is_held_against_the_last_interim_target_that_is_due()
    {
        var values = Values((2026, 10, 55m), (2026, 12, 62m));

        var january = MeasureTargets.Check(BetterDirection.Higher, Interim, End, values, new DateOnly(2027, 1, 10));
        Assert.Equal(new MeasureTarget(new DateOnly(2026, 12, 1), 60m), january.LastDueInterimTarget);
        Assert.Equal(62m, january.Latest!.Value);
        Assert.False(january.IsOffLastInterimTarget);
        Assert.False(january.MeetsEndTarget);
        Assert.False(january.HasMissedEndTarget); // not due yet

        // On Mar 1 the 65 target falls due, and 62 falls short of it.
        var march = MeasureTargets.Check(BetterDirection.Higher, Interim, End, values, new DateOnly(2027, 3, 1));
        Assert.Equal(65m, march.LastDueInterimTarget!.Value);
        Assert.True(march.IsOffLastInterimTarget);

        // Reaching the target exactly meets it.
        var exact = MeasureTargets.Check(BetterDirection.Higher, Interim, End, Values((2027, 3, 65m)), new DateOnly(2027, 4, 1));
        Assert.False(exact.IsOffLastInterimTarget);
    }

    [Fact]
    public void Lower_is_better_a_value_above_the_target_is_off()
    {
        // Chronic absence: 18 % by December, 15 % by March, 12 % by June.
        MeasureTarget[] interim = [new(new DateOnly(2026, 12, 1), 18m), new(new DateOnly(2027, 3, 1), 15m)];
        var end = new MeasureTarget(new DateOnly(2027, 6, 1), 12m);

        var onTrack = MeasureTargets.Check(BetterDirection.Lower, interim, end, Values((2026, 12, 17.5m)), new DateOnly(2027, 1, 10));
        Assert.False(onTrack.IsOffLastInterimTarget);

        var off = MeasureTargets.Check(BetterDirection.Lower, interim, end, Values((2026, 12, 17.5m), (2027, 3, 15.2m)), new DateOnly(2027, 3, 20));
        Assert.True(off.IsOffLastInterimTarget);

        var endMet = MeasureTargets.Check(BetterDirection.Lower, interim, end, Values((2027, 6, 12m)), new DateOnly(2027, 6, 30));
        Assert.True(endMet.MeetsEndTarget);
        Assert.True(endMet.IsEndTargetDue);
        Assert.False(endMet.HasMissedEndTarget);

        var endMissed = MeasureTargets.Check(BetterDirection.Lower, interim, end, Values((2027, 6, 13m)), new DateOnly(2027, 6, 30));
        Assert.True(endMissed.HasMissedEndTarget);
    }

    [Fact]
    public void Higher_is_better_the_end_target_is_met_or_missed()
    {
        var met = MeasureTargets.Check(BetterDirection.Higher, Interim, End, Values((2027, 5, 71m)), new DateOnly(2027, 6, 1));
        Assert.True(met.MeetsEndTarget);
        Assert.False(met.HasMissedEndTarget);

        var missed = MeasureTargets.Check(BetterDirection.Higher, Interim, End, Values((2027, 5, 69.9m)), new DateOnly(2027, 6, 1));
        Assert.False(missed.MeetsEndTarget);
        Assert.True(missed.HasMissedEndTarget);
    }

    [Fact]
    public void Without_a_due_target_or_a_value_nothing_is_judged()
    {
        var early = MeasureTargets.Check(BetterDirection.Higher, Interim, End, Values((2026, 10, 40m)), new DateOnly(2026, 11, 30));
        Assert.Null(early.LastDueInterimTarget);
        Assert.Null(early.MeetsLastDueInterimTarget);
        Assert.False(early.IsOffLastInterimTarget);

        var noValues = MeasureTargets.Check(BetterDirection.Higher, Interim, End, [], new DateOnly(2027, 7, 1));
        Assert.Null(noValues.Latest);
        Assert.Null(noValues.MeetsLastDueInterimTarget);
        Assert.Null(noValues.MeetsEndTarget);
        Assert.False(noValues.HasMissedEndTarget);

        var noEnd = MeasureTargets.Check(BetterDirection.Higher, Interim, null, Values((2027, 5, 71m)), new DateOnly(2027, 6, 1));
        Assert.Null(noEnd.MeetsEndTarget);
        Assert.False(noEnd.IsEndTargetDue);
    }

    [Fact]
    public void A_value_dated_after_today_is_not_yet_the_latest()
    {
        var check = MeasureTargets.Check(BetterDirection.Higher, Interim, End, Values((2026, 12, 58m), (2027, 2, 66m)), new DateOnly(2027, 1, 10));
        Assert.Equal(58m, check.Latest!.Value);
        Assert.True(check.IsOffLastInterimTarget);
    }
}
