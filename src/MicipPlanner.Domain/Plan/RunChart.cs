using System.Globalization;
using System.Numerics;

namespace MicipPlanner.Domain.Plan;

/// <summary>Where a point lies relative to its phase's median.</summary>
public enum MedianSide
{
    Below = -1,
    On = 0,
    Above = 1,
}

/// <summary>
/// Consecutive points on the same side of the median. <see cref="PointIndices"/> are positions in the list given to
/// <see cref="RunChart.Analyze"/>; points on the median that lie between them belong to no run and are not listed.
/// </summary>
public sealed record RunChartRun(MedianSide Side, IReadOnlyList<int> PointIndices, DateOnly From, DateOnly To)
{
    public int Length => PointIndices.Count;
}

public enum RunChartFindingKind
{
    /// <summary>Fewer than <see cref="RunChart.MinimumUsefulPoints"/> points off the median: the rules are not applied.</summary>
    TooFewPoints,

    /// <summary>Tested, and neither rule signals.</summary>
    RandomVariation,

    /// <summary>A run longer than chance would give (a shift).</summary>
    LongRun,

    /// <summary>Fewer crossings of the median than chance would give (a shift or a trend).</summary>
    FewCrossings,
}

/// <summary>One plain-English statement about a phase, fit to show next to the chart.</summary>
/// <param name="Run">For a long run, the run (to mark on the chart); otherwise null.</param>
/// <param name="IsBetter">For a long run, whether its points sit on the better side of the median; otherwise null.</param>
public sealed record RunChartFinding(RunChartFindingKind Kind, string Sentence, RunChartRun? Run = null, bool? IsBetter = null)
{
    public bool IsSignal => Kind is RunChartFindingKind.LongRun or RunChartFindingKind.FewCrossings;
}

/// <summary>
/// One phase of a run chart: the points from one change to the next, with their own median and rule checks.
/// </summary>
/// <param name="Number">1 for the first phase, then 2, 3… in date order.</param>
/// <param name="ChangeDate">The date the change that opened this phase was introduced; null for a first phase that no change opened.</param>
/// <param name="FirstIndex">Position of the phase's first point in the list given to <see cref="RunChart.Analyze"/>.</param>
/// <param name="LastIndex">Position of its last point.</param>
/// <param name="UsefulPoints">Points not on the median (n in the Anhøj rules).</param>
/// <param name="Runs">Every run of the phase, in date order.</param>
/// <param name="LongestRun">The longest run (the first of equals), or null when every point is on the median.</param>
/// <param name="Crossings">How many times consecutive useful points change side.</param>
/// <param name="LongestRunLimit">The longest run chance would give for n points; null when there are too few points to test.</param>
/// <param name="FewestCrossingsLimit">The fewest crossings chance would give for n points; null when there are too few points to test.</param>
public sealed record RunChartPhase(int Number, DateOnly? ChangeDate, int FirstIndex, int LastIndex, decimal Median, int UsefulPoints,
    IReadOnlyList<RunChartRun> Runs, RunChartRun? LongestRun, int Crossings, int? LongestRunLimit, int? FewestCrossingsLimit,
    IReadOnlyList<RunChartFinding> Findings)
{
    public int PointCount => LastIndex - FirstIndex + 1;
    public bool IsTested => LongestRunLimit is not null;
    public bool HasLongRun => LongestRun is { } run && LongestRunLimit is { } limit && run.Length > limit;
    public bool HasFewCrossings => FewestCrossingsLimit is { } limit && Crossings < limit;
    public bool HasSignal => HasLongRun || HasFewCrossings;

    /// <summary>Runs long enough to signal, for marking on the chart.</summary>
    public IEnumerable<RunChartRun> SignalRuns => LongestRunLimit is { } limit ? Runs.Where(r => r.Length > limit) : [];

    public bool Contains(int index) => index >= FirstIndex && index <= LastIndex;
    public MedianSide SideOf(decimal value) => RunChart.Side(value, Median);
}

public sealed record RunChartAnalysis(IReadOnlyList<RunChartPhase> Phases)
{
    public bool HasSignal => Phases.Any(p => p.HasSignal);
    public RunChartPhase? PhaseOf(int index) => Phases.FirstOrDefault(p => p.Contains(index));
}

/// <summary>
/// Run chart analysis with the Anhøj rules for non-random variation. Each phase (the points from one change to the
/// next) gets its own median; points on the median are left out (they neither break a run nor count towards one), and
/// n is the number of points left. Two rules, each with a false alarm rate of about 5 % on random data:
/// <list type="bullet">
/// <item>the longest run signals a shift when it is longer than round(log2(n) + 3);</item>
/// <item>the crossings (changes of side between consecutive useful points) signal a shift or trend when there are fewer
/// than the 5th percentile of Binomial(n − 1, ½), i.e. the smallest k whose cumulative probability reaches 0.05
/// (R's qbinom(0.05, n − 1, 0.5)).</item>
/// </list>
/// With these formulas the limits are those of Anhøj's published table (n = 10: 6 and 2; n = 20: 7 and 6; n = 30: 8 and 10).
/// </summary>
public static class RunChart
{
    /// <summary>
    /// The rules are applied from 10 useful points, where Anhøj's table begins. Below that they have almost no power
    /// (with 5 points no run can exceed its limit; below 9 the crossings limit is 0 or 1), so "no signal" would falsely
    /// reassure: the phase is reported as too short to judge instead.
    /// </summary>
    public const int MinimumUsefulPoints = 10;

    /// <summary>The longest run chance alone would give among <paramref name="usefulPoints"/> points: round(log2(n) + 3).</summary>
    public static int LongestRunLimit(int usefulPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(usefulPoints, 1);
        // log2(n) + 3 is never exactly halfway between two whole numbers for a whole n, so the rounding convention
        // (R rounds half to even) cannot change a limit.
        return (int)Math.Round(Math.Log2(usefulPoints) + 3, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The fewest crossings chance alone would give among <paramref name="usefulPoints"/> points: the smallest k with
    /// P(X ≤ k) ≥ 0.05 for X ~ Binomial(n − 1, ½). Counted exactly in whole numbers (P(X ≤ k) ≥ 1/20 exactly when
    /// 20 · Σ C(n − 1, i) ≥ 2^(n − 1)), so no rounding can move a limit.
    /// </summary>
    public static int FewestCrossingsLimit(int usefulPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(usefulPoints, 1);
        var trials = usefulPoints - 1;
        var outcomes = BigInteger.One << trials;
        var binomial = BigInteger.One;
        var cumulative = BigInteger.Zero;
        for (var k = 0; k <= trials; k++)
        {
            cumulative += binomial;
            if (cumulative * 20 >= outcomes) return k;
            binomial = binomial * (trials - k) / (k + 1);
        }
        return trials;
    }

    /// <summary>The ordinary median: the middle value, or the mean of the two middle values when the count is even.</summary>
    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("A median needs at least one value.", nameof(values));
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <param name="points">The measure's values in date order (equal dates allowed).</param>
    /// <param name="better">Whether higher or lower values are better, so a shift can be called better or worse.</param>
    /// <param name="changeDates">
    /// Dates on which a change was introduced. Each opens a new phase with the points dated on or after it; a date with no
    /// points before the next one (or before the first point) opens no empty phase.
    /// </param>
    public static RunChartAnalysis Analyze(IReadOnlyList<MeasurePoint> points, BetterDirection better, IEnumerable<DateOnly>? changeDates = null)
    {
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Date < points[i - 1].Date)
                throw new ArgumentException("Points must be in date order.", nameof(points));
        }
        var changes = (changeDates ?? []).Distinct().Order().ToList();
        // The phase a point belongs to is named by the latest change on or before its date (none: the first phase).
        DateOnly? ChangeBefore(DateOnly date)
        {
            DateOnly? latest = null;
            foreach (var change in changes.TakeWhile(c => c <= date)) latest = change;
            return latest;
        }

        var phases = new List<RunChartPhase>();
        var first = 0;
        while (first < points.Count)
        {
            var change = ChangeBefore(points[first].Date);
            var last = first;
            while (last + 1 < points.Count && ChangeBefore(points[last + 1].Date) == change) last++;
            phases.Add(AnalyzePhase(points, first, last, phases.Count + 1, change, better));
            first = last + 1;
        }
        return new RunChartAnalysis(phases);
    }

    private static RunChartPhase AnalyzePhase(IReadOnlyList<MeasurePoint> points, int first, int last, int number, DateOnly? change, BetterDirection better)
    {
        var median = Median(Enumerable.Range(first, last - first + 1).Select(i => points[i].Value));
        var useful = Enumerable.Range(first, last - first + 1)
            .Select(i => (Index: i, Side: Side(points[i].Value, median)))
            .Where(p => p.Side != MedianSide.On).ToList();

        var runs = new List<RunChartRun>();
        var crossings = 0;
        var start = 0;
        for (var i = 1; i <= useful.Count; i++)
        {
            if (i < useful.Count && useful[i].Side == useful[start].Side) continue;
            if (i < useful.Count) crossings++;
            var indices = useful.Skip(start).Take(i - start).Select(p => p.Index).ToList();
            runs.Add(new RunChartRun(useful[start].Side, indices, points[indices[0]].Date, points[indices[^1]].Date));
            start = i;
        }
        var longest = runs.Count == 0 ? null : runs.MaxBy(r => r.Length);

        int? runLimit = useful.Count >= MinimumUsefulPoints ? LongestRunLimit(useful.Count) : null;
        int? crossingsLimit = useful.Count >= MinimumUsefulPoints ? FewestCrossingsLimit(useful.Count) : null;
        var findings = Findings(useful.Count, runs, longest, crossings, runLimit, crossingsLimit, better);
        return new RunChartPhase(number, change, first, last, median, useful.Count, runs, longest, crossings, runLimit, crossingsLimit, findings);
    }

    private static List<RunChartFinding> Findings(int useful, List<RunChartRun> runs, RunChartRun? longest, int crossings,
        int? runLimit, int? crossingsLimit, BetterDirection better)
    {
        if (runLimit is not { } maxRun || crossingsLimit is not { } minCrossings)
        {
            return [new(RunChartFindingKind.TooFewPoints,
                $"Only {Points(useful)} to judge in this phase (points on the median do not count): at least {MinimumUsefulPoints} " +
                "are needed to tell a shift or trend from chance.")];
        }

        var findings = new List<RunChartFinding>();
        foreach (var run in runs.Where(r => r.Length > maxRun))
        {
            var side = run.Side == MedianSide.Above ? "above" : "below";
            var isBetter = (run.Side == MedianSide.Above) == (better == BetterDirection.Higher);
            // A run that reaches the latest point says where the measure is now. An earlier one only says how that spell
            // compared: after a step up, the points before the step form a long run below the median, and calling that
            // "a shift in the worse direction" would tell the team the opposite of what happened.
            var meaning = ReferenceEquals(run, runs[^1])
                ? $"a shift in the {(isBetter ? "better" : "worse")} direction"
                : $"a shift, the measure ran {(isBetter ? "better" : "worse")} than its median over that time";
            findings.Add(new(RunChartFindingKind.LongRun,
                $"A run of {run.Length} points in a row {side} the median {Period(run.From, run.To)} (chance alone rarely gives more than {maxRun}): {meaning}.",
                run, isBetter));
        }
        if (crossings < minCrossings)
        {
            var counted = crossings == 0 ? "No crossings of the median" : $"Only {crossings} {(crossings == 1 ? "crossing" : "crossings")} of the median";
            findings.Add(new(RunChartFindingKind.FewCrossings,
                $"{counted} where chance alone would give at least {minCrossings}: the measure has shifted or is trending."));
        }
        if (findings.Count == 0)
        {
            findings.Add(new(RunChartFindingKind.RandomVariation,
                $"The points vary around the median as chance alone would (longest run {longest?.Length ?? 0}, at most {maxRun} expected; " +
                $"{crossings} crossings, at least {minCrossings} expected): no shift or trend yet."));
        }
        return findings;
    }

    internal static MedianSide Side(decimal value, decimal median) => (MedianSide)Math.Sign(value.CompareTo(median));

    private static string Points(int count) => count == 1 ? "1 point" : $"{count} points";

    private static string Period(DateOnly from, DateOnly to)
    {
        static string Month(DateOnly date) => date.ToString("MMM yyyy", CultureInfo.InvariantCulture);
        return from.Year == to.Year && from.Month == to.Month ? $"in {Month(from)}" : $"from {Month(from)} to {Month(to)}";
    }
}
