namespace MicipPlanner.Domain.Rubric;

/// <summary>Compares the groups' levels on one rubric row.</summary>
public static class RatingComparison
{
    /// <summary>Groups whose levels differ by this much or more must talk before consensus.</summary>
    public const int DisagreementSpread = 2;

    public static RowComparison Compare(string rowKey, IEnumerable<int?> groupLevels)
    {
        var rated = groupLevels.Where(RubricLevels.IsValid).Select(l => l!.Value).ToList();
        var counts = new int[RubricLevels.Max];
        foreach (var level in rated) counts[level - 1]++;
        var spread = rated.Count == 0 ? 0 : rated.Max() - rated.Min();
        int? suggestion = rated.Count == 0 ? null : Median(rated);
        return new RowComparison(rowKey, rated.Count, counts, spread, spread >= DisagreementSpread, suggestion);
    }

    /// <summary>The lower middle value: when groups split, start the consensus talk from the more cautious level.</summary>
    private static int Median(List<int> levels)
    {
        var sorted = levels.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }
}

/// <param name="CountsByLevel">Number of groups at each level, index 0 = level 1.</param>
/// <param name="SuggestedLevel">Where the consensus conversation might start (the median rating), null when nobody rated.</param>
public sealed record RowComparison(string RowKey, int RatedGroups, IReadOnlyList<int> CountsByLevel, int Spread, bool Disagrees, int? SuggestedLevel)
{
    public bool GroupsDiffer => Spread > 0;
}

public static class RubricLevels
{
    public const int Min = 1;
    public const int Max = 4;
    public static bool IsValid(int? level) => level is >= Min and <= Max;
}

/// <summary>Rules about finalizing a cycle's rubric.</summary>
public static class RubricFinalization
{
    /// <summary>Row keys that still lack a consensus level; finalizing needs none missing.</summary>
    public static IReadOnlyList<string> MissingConsensus(IEnumerable<string> rowKeys, IEnumerable<string> rowsWithConsensus)
    {
        var done = rowsWithConsensus.ToHashSet();
        return rowKeys.Where(k => !done.Contains(k)).ToList();
    }

    /// <summary>Movement of the consensus level from one cycle to the next; positive is to the right (toward collaboration).</summary>
    public static int? Movement(int? previous, int? current) => previous is { } p && current is { } c ? c - p : null;
}
