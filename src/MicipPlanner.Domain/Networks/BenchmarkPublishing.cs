namespace MicipPlanner.Domain.Networks;

/// <summary>One district behind published numbers: which district, and which finalization of that school year's rubric.</summary>
public readonly record struct BenchmarkContributor(int DistrictId, long FinalizedTicks);

/// <summary>The numbers of one figure as readers were shown them, with the districts they count (kept privately) and when.</summary>
/// <param name="Counts">Districts at levels 1 to 4 (index 0 is level 1), before small cells are withheld.</param>
/// <param name="Contributors">The districts counted, ordered by id.</param>
public sealed record FigurePublication(IReadOnlyList<int> Counts, IReadOnlyList<BenchmarkContributor> Contributors, DateTimeOffset PublishedAt);

/// <summary>What readers see of a figure.</summary>
public enum FigureStatus
{
    /// <summary>The numbers of <see cref="PublishedFigure.LastShown"/>.</summary>
    Shown,

    /// <summary>Nothing: fewer than 3 districts contribute.</summary>
    TooFewDistricts,

    /// <summary>
    /// Nothing: a district counted in the numbers last shown has left the network or stopped sharing, and fewer than 3
    /// districts have changed since, so new numbers would give its levels away.
    /// </summary>
    ContributorLeft,
}

/// <summary>One figure (rubric row × school year) of a network's published benchmarks.</summary>
/// <param name="Contributing">How many sharing districts contribute to the figure now.</param>
/// <param name="LastShown">The numbers readers see (when <see cref="Status"/> is Shown) or last saw (otherwise); null when
/// the figure has never been shown. The next publication is compared with these.</param>
public sealed record PublishedFigure(string RowKey, int StartYear, FigureStatus Status, int Contributing, FigurePublication? LastShown);

/// <summary>
/// What a network publishes when the districts behind its benchmarks change (ADR 13). Someone who reads the figures before
/// and after one district joins, leaves, stops sharing or finalizes again must not learn that district's levels by
/// subtracting. So each figure is compared with the numbers readers were last shown of it:
/// <list type="bullet">
/// <item>when at least <see cref="MinimumChange"/> districts differ (joined, left, or finalized again), the figure takes the
/// current numbers: the difference a reader can work out then mixes at least 3 districts;</item>
/// <item>when 1 or 2 differ, it keeps the numbers last shown, which count only districts that shared them and still share;</item>
/// <item>but when a district counted in those numbers has left the network or stopped sharing, it must leave every figure at
/// once, so the figure is withheld until at least 3 districts have changed.</item>
/// </list>
/// The comparison is always with the numbers last <em>shown</em>, never with the districts counted at the last request: a
/// series of single joins therefore adds up until the third, and only then is anything new shown.
/// </summary>
public static class BenchmarkPublishing
{
    /// <summary>Fewest districts that must differ from the numbers last shown before a figure shows new ones.</summary>
    public const int MinimumChange = NetworkBenchmarks.MinimumDistricts;

    /// <param name="previous">The figures of the network's last publication (empty for its first).</param>
    /// <param name="contributions">Finalized consensus of the network's sharing districts, with when each was finalized.</param>
    /// <param name="sharingDistricts">The districts that are on the network and share now.</param>
    /// <param name="rowKeys">The rubric rows, in order.</param>
    /// <param name="startYears">The school years to show, oldest first.</param>
    /// <param name="now">When this publication is made.</param>
    public static IReadOnlyList<PublishedFigure> Next(IReadOnlyList<PublishedFigure> previous, IEnumerable<BenchmarkContribution> contributions,
        IReadOnlySet<int> sharingDistricts, IReadOnlyList<string> rowKeys, IReadOnlyList<int> startYears, DateTimeOffset now)
    {
        // One answer per district, year and row: a stray duplicate must not count a district twice.
        var current = contributions.Where(c => c.Level is >= 1 and <= 4 && sharingDistricts.Contains(c.DistrictId))
            .GroupBy(c => (c.StartYear, c.RowKey))
            .ToDictionary(g => g.Key, g => g.GroupBy(c => c.DistrictId).Select(d => d.First()).ToList());
        var lastShown = previous.Where(f => f.LastShown is not null).GroupBy(f => (f.StartYear, f.RowKey))
            .ToDictionary(g => g.Key, g => g.First().LastShown!);
        return (from row in rowKeys
                from year in startYears
                select Decide(row, year, current.GetValueOrDefault((year, row)) ?? [], lastShown.GetValueOrDefault((year, row)), sharingDistricts, now))
            .ToList();
    }

    private static PublishedFigure Decide(string row, int year, List<BenchmarkContribution> current, FigurePublication? shown,
        IReadOnlySet<int> sharingDistricts, DateTimeOffset now)
    {
        if (shown is not null && ChangedDistricts(shown.Contributors, current) < MinimumChange)
        {
            // New numbers would differ from the shown ones by the levels of one or two districts: keep the shown ones, unless
            // they count a district that no longer shares them.
            var status = shown.Contributors.All(c => sharingDistricts.Contains(c.DistrictId)) ? FigureStatus.Shown : FigureStatus.ContributorLeft;
            return new PublishedFigure(row, year, status, current.Count, shown);
        }
        if (current.Count < NetworkBenchmarks.MinimumDistricts)
            // Nothing is shown, so the numbers last shown stay what the next publication is compared with.
            return new PublishedFigure(row, year, FigureStatus.TooFewDistricts, current.Count, shown);
        var counts = NetworkBenchmarks.Levels.Select(l => current.Count(c => c.Level == l)).ToList();
        var contributors = current.Select(c => new BenchmarkContributor(c.DistrictId, c.FinalizedTicks)).OrderBy(c => c.DistrictId).ToList();
        return new PublishedFigure(row, year, FigureStatus.Shown, current.Count, new FigurePublication(counts, contributors, now));
    }

    /// <summary>Districts in one set and not the other, or in both with another finalization.</summary>
    public static int ChangedDistricts(IEnumerable<BenchmarkContributor> shown, IEnumerable<BenchmarkContribution> current)
    {
        var before = shown.ToDictionary(c => c.DistrictId, c => c.FinalizedTicks);
        var now = current.ToDictionary(c => c.DistrictId, c => c.FinalizedTicks);
        return before.Keys.Union(now.Keys).Count(d => !before.TryGetValue(d, out var a) || !now.TryGetValue(d, out var b) || a != b);
    }

    /// <summary>
    /// The figures readers see of a publication: the cells of the numbers shown (small cells withheld), and nothing but the
    /// reason for the others.
    /// </summary>
    /// <param name="ownContributions">The viewing district's own finalized levels (none for a facilitator or admin, or a
    /// district that does not share). Its level is marked on shown numbers only when those numbers count it, as finalized
    /// then; on a figure not shown it is named, being the district's own.</param>
    public static IReadOnlyList<BenchmarkFigure> Figures(IReadOnlyList<PublishedFigure> published, IEnumerable<BenchmarkContribution> ownContributions)
    {
        var own = ownContributions.Where(c => c.Level is >= 1 and <= 4).GroupBy(c => (c.StartYear, c.RowKey)).ToDictionary(g => g.Key, g => g.First());
        return published.Select(f =>
        {
            var mine = own.GetValueOrDefault((f.StartYear, f.RowKey));
            if (f.Status != FigureStatus.Shown || f.LastShown is not { } shown)
                return new BenchmarkFigure(f.RowKey, f.StartYear, f.Contributing, [], mine?.Level, f.Status == FigureStatus.Shown ? FigureStatus.TooFewDistricts : f.Status);
            var counted = mine is not null && shown.Contributors.Contains(new BenchmarkContributor(mine.DistrictId, mine.FinalizedTicks));
            return new BenchmarkFigure(f.RowKey, f.StartYear, shown.Contributors.Count, NetworkBenchmarks.Cells(shown.Counts), counted ? mine!.Level : null, FigureStatus.Shown);
        }).ToList();
    }
}
