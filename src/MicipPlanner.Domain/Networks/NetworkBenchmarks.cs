namespace MicipPlanner.Domain.Networks;

/// <summary>One sharing district's finalized consensus level on one rubric row in one school year.</summary>
/// <param name="FinalizedTicks">When the district finalized that school year's rubric (UTC ticks): a district that reopens and
/// finalizes again may have other levels, so for publishing it counts as a changed contributor.</param>
public sealed record BenchmarkContribution(int DistrictId, int StartYear, string RowKey, int Level, long FinalizedTicks = 0);

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
/// The distribution of one rubric row in one school year over the four levels. When it is not shown (fewer than
/// <see cref="NetworkBenchmarks.MinimumDistricts"/> districts contribute, or it is withheld after a district left; see
/// <see cref="Status"/>), nothing but that fact is shown (<see cref="Cells"/> is empty). <see cref="OwnLevel"/> is the
/// viewing district's own level, for marking it.
/// </summary>
/// <param name="Contributors">The districts the shown numbers count, or that contribute now when nothing is shown.</param>
public sealed record BenchmarkFigure(string RowKey, int StartYear, int Contributors, IReadOnlyList<BenchmarkCell> Cells, int? OwnLevel,
    FigureStatus Status)
{
    public bool IsShown => Status == FigureStatus.Shown;
}

/// <summary>
/// The anonymity rules of the network benchmarks (k = 3):
/// <list type="bullet">
/// <item>a figure (row × school year) is shown only when at least three districts contribute to it;</item>
/// <item>a level held by one or two districts is withheld ("fewer than 3", <see cref="WithheldReason.Small"/>), so nobody
/// can single out a district's answer;</item>
/// <item>when exactly one cell would be withheld, it could be worked out from the total, so the smallest other
/// non-empty cell is withheld with it (<see cref="WithheldReason.ProtectsAnother"/>: it holds 3 or more);</item>
/// <item>no district id or name reaches a <see cref="BenchmarkFigure"/>: figures carry counts only (who a publication
/// counted is kept with it, privately, to compare the next one with).</item>
/// </list>
/// What readers see over time, as districts join, leave or finalize again, is decided by <see cref="BenchmarkPublishing"/>.
/// </summary>
public static class NetworkBenchmarks
{
    public const int MinimumDistricts = 3;
    public static readonly int[] Levels = [1, 2, 3, 4];

    /// <summary>The figures as they would be published for the first time (no earlier publication to compare with).</summary>
    /// <param name="contributions">Finalized consensus of the network's sharing districts (one per district, year and row).</param>
    /// <param name="rowKeys">The rubric rows, in order.</param>
    /// <param name="startYears">The school years to show, oldest first.</param>
    /// <param name="viewingDistrictId">The viewer's district, whose own level is marked (null for a facilitator or admin).</param>
    public static IReadOnlyList<BenchmarkFigure> Compute(IEnumerable<BenchmarkContribution> contributions, IReadOnlyList<string> rowKeys,
        IReadOnlyList<int> startYears, int? viewingDistrictId)
    {
        var list = contributions.ToList();
        var published = BenchmarkPublishing.Next([], list, list.Select(c => c.DistrictId).ToHashSet(), rowKeys, startYears, DateTimeOffset.UnixEpoch);
        return BenchmarkPublishing.Figures(published, list.Where(c => c.DistrictId == viewingDistrictId));
    }

    /// <summary>The four cells of a figure from its districts per level (index 0 is level 1), small cells withheld.</summary>
    public static IReadOnlyList<BenchmarkCell> Cells(IReadOnlyList<int> counts) =>
        Cells(Levels.ToDictionary(l => l, l => l <= counts.Count ? counts[l - 1] : 0));

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
