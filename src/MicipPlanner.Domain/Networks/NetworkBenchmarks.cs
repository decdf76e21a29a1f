namespace MicipPlanner.Domain.Networks;

/// <summary>One sharing district's finalized consensus level on one rubric row in one school year.</summary>
public sealed record BenchmarkContribution(int DistrictId, int StartYear, string RowKey, int Level);

/// <summary>How many sharing districts sit at one level of one rubric row in one school year.</summary>
public sealed record BenchmarkCount(int StartYear, string RowKey, int Level, int Districts);

/// <summary>The viewing district's own finalized level on one rubric row in one school year.</summary>
public sealed record BenchmarkOwnLevel(int StartYear, string RowKey, int Level);

/// <summary>Why a level's count is withheld.</summary>
public enum WithheldReason
{
    /// <summary>One or two districts sit at the level: "fewer than 3".</summary>
    Small,

    /// <summary>
    /// The level holds 3 or more districts, but it is withheld with the only small level of its figure, which the total
    /// minus the shown levels would otherwise give away.
    /// </summary>
    ProtectsAnother,
}

/// <summary>How many contributing districts sit at one level, or null with the reason when the cell is withheld.</summary>
public sealed record BenchmarkCell(int Level, int? Count, WithheldReason? Reason = null)
{
    public bool IsWithheld => Count is null;
}

/// <summary>
/// The distribution of one rubric row in one school year over the four levels. When fewer than
/// <see cref="NetworkBenchmarks.MinimumDistricts"/> districts contribute, nothing but that fact is shown
/// (<see cref="Cells"/> is empty). <see cref="OwnLevel"/> is the viewing district's own level, for marking it.
/// </summary>
public sealed record BenchmarkFigure(string RowKey, int StartYear, int Contributors, IReadOnlyList<BenchmarkCell> Cells, int? OwnLevel)
{
    public bool IsShown => Cells.Count > 0;
}

/// <summary>
/// The anonymity rules of the network benchmarks (k = 3):
/// <list type="bullet">
/// <item>a figure (row × school year) is shown only when at least three districts contribute to it;</item>
/// <item>a level held by one or two districts is withheld ("fewer than 3", <see cref="WithheldReason.Small"/>), so nobody
/// can single out a district's answer;</item>
/// <item>when exactly one cell would be withheld, it could be worked out from the total, so the smallest other
/// non-empty cell is withheld with it (<see cref="WithheldReason.ProtectsAnother"/>: it holds 3 or more);</item>
/// <item>no district id or name leaves this class: figures carry counts only.</item>
/// </list>
/// A district that stops sharing or leaves the network is simply absent from the contributions, so it drops out of
/// every figure the next time they are computed.
/// </summary>
public static class NetworkBenchmarks
{
    public const int MinimumDistricts = 3;
    public static readonly int[] Levels = [1, 2, 3, 4];

    /// <param name="contributions">Finalized consensus of the network's sharing districts (one per district, year and row).</param>
    /// <param name="rowKeys">The rubric rows, in order.</param>
    /// <param name="startYears">The school years to show, oldest first.</param>
    /// <param name="viewingDistrictId">The viewer's district, whose own level is marked (null for a facilitator or admin).</param>
    public static IReadOnlyList<BenchmarkFigure> Compute(IEnumerable<BenchmarkContribution> contributions, IReadOnlyList<string> rowKeys,
        IReadOnlyList<int> startYears, int? viewingDistrictId)
    {
        // One answer per district, year and row: a stray duplicate must not count a district twice.
        var distinct = contributions.Where(c => c.Level is >= 1 and <= 4)
            .GroupBy(c => (c.DistrictId, c.StartYear, c.RowKey)).Select(g => g.First()).ToList();
        var counts = distinct.GroupBy(c => (c.StartYear, c.RowKey, c.Level))
            .Select(g => new BenchmarkCount(g.Key.StartYear, g.Key.RowKey, g.Key.Level, g.Count()));
        var own = distinct.Where(c => c.DistrictId == viewingDistrictId).Select(c => new BenchmarkOwnLevel(c.StartYear, c.RowKey, c.Level));
        return FromCounts(counts, rowKeys, startYears, own);
    }

    /// <summary>
    /// The same figures from counts the database has already grouped (districts per year, row and level), so a network of
    /// hundreds of districts never sends its individual answers to the web server.
    /// </summary>
    /// <param name="counts">Distinct sharing districts per school year, row and level.</param>
    /// <param name="rowKeys">The rubric rows, in order.</param>
    /// <param name="startYears">The school years to show, oldest first.</param>
    /// <param name="ownLevels">The viewing district's own levels, when it is one of the sharing districts.</param>
    public static IReadOnlyList<BenchmarkFigure> FromCounts(IEnumerable<BenchmarkCount> counts, IReadOnlyList<string> rowKeys,
        IReadOnlyList<int> startYears, IEnumerable<BenchmarkOwnLevel> ownLevels)
    {
        var byCell = counts.Where(c => c.Level is >= 1 and <= 4)
            .GroupBy(c => (c.StartYear, c.RowKey))
            .ToDictionary(g => g.Key, g => Levels.ToDictionary(l => l, l => g.Where(c => c.Level == l).Sum(c => c.Districts)));
        var own = ownLevels.GroupBy(o => (o.StartYear, o.RowKey)).ToDictionary(g => g.Key, g => g.First().Level);
        var figures = new List<BenchmarkFigure>();
        foreach (var row in rowKeys)
        {
            foreach (var year in startYears)
            {
                var levelCounts = byCell.GetValueOrDefault((year, row)) ?? Levels.ToDictionary(l => l, _ => 0);
                var contributors = levelCounts.Values.Sum();
                int? ownLevel = own.TryGetValue((year, row), out var level) ? level : null;
                figures.Add(new BenchmarkFigure(row, year, contributors, contributors < MinimumDistricts ? [] : Cells(levelCounts), ownLevel));
            }
        }
        return figures;
    }

    private static List<BenchmarkCell> Cells(Dictionary<int, int> counts)
    {
        var withheld = counts.Where(c => c.Value is > 0 and < MinimumDistricts).ToDictionary(c => c.Key, _ => WithheldReason.Small);
        if (withheld.Count == 1)
        {
            // Total minus the shown cells would give the withheld one away: withhold the smallest other non-empty cell too.
            var partner = counts.Where(c => c.Value > 0 && !withheld.ContainsKey(c.Key)).OrderBy(c => c.Value).ThenBy(c => c.Key).Select(c => (int?)c.Key).FirstOrDefault();
            if (partner is { } p) withheld[p] = WithheldReason.ProtectsAnother;
        }
        return Levels.Select(l => withheld.TryGetValue(l, out var reason) ? new BenchmarkCell(l, null, reason) : new BenchmarkCell(l, counts[l])).ToList();
    }
}
