using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Domain.Tests;

public sealed class RunChartTests
{
    private static readonly DateOnly January2026 = new(2026, 1, 1);

    /// <summary>One point a month from January 2026.</summary>
    private static List<MeasurePoint> Monthly(params decimal[] values) =>
        values.Select((v, i) => new MeasurePoint(January2026.AddMonths(i), v)).ToList();

    private static RunChartPhase SinglePhase(IReadOnlyList<MeasurePoint> points, BetterDirection better = BetterDirection.Higher) =>
        Assert.Single(RunChart.Analyze(points, better).Phases);

    [Theory]
    // Anhøj's published table: the longest run chance allows, and the fewest crossings it allows, for n useful points.
    [InlineData(10, 6, 2)]
    [InlineData(12, 7, 3)]
    [InlineData(20, 7, 6)]
    [InlineData(24, 8, 8)]
    [InlineData(30, 8, 10)]
    public void The_limits_are_those_of_the_published_table(int usefulPoints, int longestRun, int fewestCrossings)
    {
        Assert.Equal(longestRun, RunChart.LongestRunLimit(usefulPoints));
        Assert.Equal(fewestCrossings, RunChart.FewestCrossingsLimit(usefulPoints));
    }

    [Fact]
    public void The_crossings_limit_is_exact_for_long_series_and_tiny_ones()
    {
        // qbinom(0.05, 99, 0.5) = 41 and qbinom(0.05, 999, 0.5) = 474; 2^999 would overflow a double's binomial terms.
        Assert.Equal(41, RunChart.FewestCrossingsLimit(100));
        Assert.Equal(474, RunChart.FewestCrossingsLimit(1000));
        Assert.Equal(0, RunChart.FewestCrossingsLimit(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunChart.FewestCrossingsLimit(0));
    }

    [Fact]
    public void The_median_is_the_middle_value_or_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(2m, RunChart.Median([3m, 1m, 2m]));
        Assert.Equal(2.5m, RunChart.Median([4m, 1m, 3m, 2m]));
        Assert.Equal(7m, RunChart.Median([7m]));
        Assert.Throws<ArgumentException>(() => RunChart.Median([]));
    }

    [Fact]
    public void Points_on_the_median_neither_break_a_run_nor_count_towards_it()
    {
        // 3 below, 5 on the median (5), 7 above: n = 10. The 7 above are interrupted twice by points on the median.
        var phase = SinglePhase(Monthly(1, 6, 7, 5, 8, 9, 5, 10, 11, 12, 5, 2, 5, 3, 5));

        Assert.Equal(5m, phase.Median);
        Assert.Equal([MedianSide.Below, MedianSide.On, MedianSide.Above], new[] { 1m, 5m, 6m }.Select(phase.SideOf));
        Assert.Equal(10, phase.UsefulPoints);
        Assert.Equal([1, 2, 4, 5, 7, 8, 9], phase.LongestRun!.PointIndices);
        Assert.Equal(MedianSide.Above, phase.LongestRun.Side);
        Assert.Equal(2, phase.Crossings); // below → above → below: the points on the median are not crossings either
        Assert.Equal([1, 7, 2], phase.Runs.Select(r => r.Length));
        // 7 > 6 signals at n = 10; 2 crossings is not below 2.
        Assert.True(phase.HasLongRun);
        Assert.False(phase.HasFewCrossings);
        var finding = Assert.Single(phase.Findings);
        Assert.Equal(RunChartFindingKind.LongRun, finding.Kind);
        Assert.Same(phase.LongestRun, finding.Run);
    }

    [Fact]
    public void A_run_as_long_as_the_limit_is_no_signal()
    {
        // Same shape, but the 7th point above comes after a point below: the longest run is 6 at n = 10.
        var phase = SinglePhase(Monthly(1, 6, 7, 5, 8, 9, 5, 10, 11, 2, 5, 12, 5, 3, 5));

        Assert.Equal(10, phase.UsefulPoints);
        Assert.Equal(6, phase.LongestRun!.Length);
        Assert.Equal(4, phase.Crossings);
        Assert.False(phase.HasSignal);
        Assert.Equal(RunChartFindingKind.RandomVariation, Assert.Single(phase.Findings).Kind);
    }

    [Fact]
    public void Crossings_below_the_limit_signal_and_at_the_limit_do_not()
    {
        var oneCrossing = SinglePhase(Monthly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        Assert.Equal(1, oneCrossing.Crossings);
        Assert.Equal(5, oneCrossing.LongestRun!.Length); // no long run: the crossings rule alone signals
        Assert.False(oneCrossing.HasLongRun);
        Assert.True(oneCrossing.HasFewCrossings);
        var finding = Assert.Single(oneCrossing.Findings);
        Assert.Equal(RunChartFindingKind.FewCrossings, finding.Kind);
        Assert.Equal("Only 1 crossing of the median where chance alone would give at least 2: the measure has shifted or is trending.", finding.Sentence);

        var twoCrossings = SinglePhase(Monthly(1, 2, 3, 6, 7, 8, 9, 10, 4, 5));
        Assert.Equal(2, twoCrossings.Crossings);
        Assert.False(twoCrossings.HasSignal);
    }

    [Fact]
    public void A_clear_shift_is_detected_and_told_in_plain_words()
    {
        // A year around 50, then a year around 60, higher being better, with no phase marked at the change.
        var points = Monthly(50, 52, 49, 51, 48, 50, 53, 47, 51, 49, 50, 52, 60, 58, 61, 59, 62, 60, 57, 61, 63, 59, 60, 62);
        var phase = SinglePhase(points);

        Assert.Equal(55m, phase.Median);
        Assert.Equal(24, phase.UsefulPoints);
        Assert.Equal(1, phase.Crossings);
        Assert.Equal(8, phase.LongestRunLimit);
        Assert.Equal(8, phase.FewestCrossingsLimit);
        Assert.True(phase.HasLongRun);
        Assert.True(phase.HasFewCrossings);
        Assert.Equal(Enumerable.Range(0, 12), phase.LongestRun!.PointIndices); // the first of two equally long runs
        Assert.Equal([MedianSide.Below, MedianSide.Above], phase.SignalRuns.Select(r => r.Side));

        Assert.Equal(
        [
            "A run of 12 points in a row below the median from Jan 2026 to Dec 2026 (chance alone rarely gives more than 8): " +
            "a shift, the measure ran worse than its median over that time.",
            "A run of 12 points in a row above the median from Jan 2027 to Dec 2027 (chance alone rarely gives more than 8): " +
            "a shift in the better direction.",
            "Only 1 crossing of the median where chance alone would give at least 8: the measure has shifted or is trending.",
        ], phase.Findings.Select(f => f.Sentence));
        Assert.Equal([false, true, null], phase.Findings.Select(f => f.IsBetter));
        Assert.True(RunChart.Analyze(points, BetterDirection.Higher).HasSignal);
    }

    [Fact]
    public void The_same_shift_is_in_the_worse_direction_when_lower_is_better()
    {
        var phase = SinglePhase(Monthly(50, 52, 49, 51, 48, 50, 53, 47, 51, 49, 50, 52, 60, 58, 61, 59, 62, 60, 57, 61, 63, 59, 60, 62),
            BetterDirection.Lower);

        var latest = phase.Findings.Last(f => f.Kind == RunChartFindingKind.LongRun);
        Assert.EndsWith("a shift in the worse direction.", latest.Sentence);
        Assert.False(latest.IsBetter);
    }

    [Fact]
    public void Random_looking_data_gives_no_signal()
    {
        var phase = SinglePhase(Monthly(48, 53, 55, 47, 46, 51, 54, 52, 49, 45, 50, 56, 53, 47, 48, 52, 46, 55, 51, 49));

        Assert.Equal(50.5m, phase.Median);
        Assert.Equal(20, phase.UsefulPoints);
        Assert.Equal(3, phase.LongestRun!.Length);
        Assert.Equal(10, phase.Crossings);
        Assert.False(phase.HasSignal);
        Assert.Empty(phase.SignalRuns);
        var finding = Assert.Single(phase.Findings);
        Assert.Equal(RunChartFindingKind.RandomVariation, finding.Kind);
        Assert.False(finding.IsSignal);
    }

    [Fact]
    public void Too_few_points_off_the_median_are_not_tested()
    {
        // 11 points, 3 of them on the median: n = 8, and even a single crossing is no signal.
        var phase = SinglePhase(Monthly(1, 2, 5, 3, 4, 5, 6, 7, 8, 9, 5));

        Assert.Equal(5m, phase.Median);
        Assert.Equal(8, phase.UsefulPoints);
        Assert.Equal(1, phase.Crossings);
        Assert.Equal([0, 1, 3, 4], phase.LongestRun!.PointIndices);
        Assert.False(phase.IsTested);
        Assert.Null(phase.LongestRunLimit);
        Assert.False(phase.HasSignal);
        var finding = Assert.Single(phase.Findings);
        Assert.Equal(RunChartFindingKind.TooFewPoints, finding.Kind);
        Assert.Equal("Only 8 points to judge in this phase (points on the median do not count): " +
            "at least 10 are needed to tell a shift or trend from chance.", finding.Sentence);
    }

    [Fact]
    public void Each_phase_has_its_own_median_and_the_change_date_opens_the_new_phase()
    {
        var points = Monthly(50, 52, 49, 51, 48, 50, 53, 47, 51, 49, 50, 52, 60, 58, 61, 59, 62, 60, 57, 61, 63, 59, 60, 62);
        var change = January2026.AddMonths(12); // the 13th point is dated on the change date itself

        var analysis = RunChart.Analyze(points, BetterDirection.Higher, [change]);

        Assert.Equal(2, analysis.Phases.Count);
        var (before, after) = (analysis.Phases[0], analysis.Phases[1]);
        Assert.Equal((1, null, 0, 11), (before.Number, before.ChangeDate, before.FirstIndex, before.LastIndex));
        Assert.Equal((2, change, 12, 23), (after.Number, after.ChangeDate, after.FirstIndex, after.LastIndex));
        Assert.Equal(50m, before.Median);
        Assert.Equal(60m, after.Median);
        // Split at the change, neither year shows a shift on its own.
        Assert.False(analysis.HasSignal);
        Assert.Same(after, analysis.PhaseOf(12));
        Assert.Null(analysis.PhaseOf(24));
    }

    [Fact]
    public void Change_dates_without_points_of_their_own_open_no_empty_phase()
    {
        var points = Monthly(1, 2, 3, 4, 5, 6);
        var analysis = RunChart.Analyze(points, BetterDirection.Higher,
            [new DateOnly(2025, 9, 1), new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 20), new DateOnly(2027, 1, 1)]);

        // Before the first point: it names the first phase. Mar 10 has no point before Mar 20 takes over. After the last point: nothing.
        Assert.Equal([new DateOnly(2025, 9, 1), new DateOnly(2026, 3, 20)], analysis.Phases.Select(p => p.ChangeDate));
        Assert.Equal([(0, 2), (3, 5)], analysis.Phases.Select(p => (p.FirstIndex, p.LastIndex)));
        Assert.Equal([2m, 5m], analysis.Phases.Select(p => p.Median));
    }

    [Fact]
    public void Points_out_of_date_order_are_refused_and_no_points_give_no_phases()
    {
        List<MeasurePoint> unordered = [new(new DateOnly(2026, 2, 1), 1), new(new DateOnly(2026, 1, 1), 2)];
        Assert.Throws<ArgumentException>(() => RunChart.Analyze(unordered, BetterDirection.Higher));
        Assert.Empty(RunChart.Analyze([], BetterDirection.Higher).Phases);
    }

    [Fact]
    public void A_phase_with_every_point_on_the_median_has_no_runs()
    {
        var phase = SinglePhase(Monthly(4, 4, 4));
        Assert.Equal(0, phase.UsefulPoints);
        Assert.Empty(phase.Runs);
        Assert.Null(phase.LongestRun);
        Assert.Equal("Only 0 points to judge in this phase (points on the median do not count): " +
            "at least 10 are needed to tell a shift or trend from chance.", Assert.Single(phase.Findings).Sentence);
    }
}
