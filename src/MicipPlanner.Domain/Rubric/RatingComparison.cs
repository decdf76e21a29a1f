namespace MicipPlanner.Domain.Rubric;

/// <summary>Compares the groups' levels on one rubric row.</summary>
public static class RatingComparison
{
    /// <summary>Groups whose levels differ by this much or more must talk before consensus.</summary>
    public const int DisagreementSpread = 2;

    public static RowComparison Compare(string rowKey, IEnumerable<int?> groupLevels)
    {
        var rated = groupLevels.Where(l => l is >= RubricLevels.Min and <= RubricLevels.Max).Select(l => l!.Value).ToList();
        var counts = new int[RubricLevels.Max];
        foreach (var level in rated) counts[level - 1]++;
        var spread = rated.Count == 0 ? 0 : rated.Max() - rated.Min();
        return new RowComparison(rowKey, rated.Count, counts, spread, spread >= DisagreementSpread);
    }
}

/// <param name="CountsByLevel">Number of groups at each level, index 0 = level 1.</param>
public sealed record RowComparison(string RowKey, int RatedGroups, IReadOnlyList<int> CountsByLevel, int Spread, bool Disagrees)
{
    public bool GroupsDiffer => Spread > 0;
}

public static class RubricLevels
{
    public const int Min = 1;
    public const int Max = 4;
    public static bool IsValid(int? level) => level is >= Min and <= Max;
}
