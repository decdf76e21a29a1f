using MicipPlanner.Domain.Rubric;

namespace MicipPlanner.Domain.Tests;

public sealed class RatingComparisonTests
{
    [Fact]
    public void Groups_two_levels_apart_disagree()
    {
        var result = RatingComparison.Compare("routines", [3, 1]);
        Assert.True(result.Disagrees);
        Assert.Equal(2, result.Spread);
        Assert.Equal([1, 0, 1, 0], result.CountsByLevel);
        Assert.Equal(2, result.RatedGroups);
    }

    [Fact]
    public void Groups_one_level_apart_differ_but_do_not_disagree()
    {
        var result = RatingComparison.Compare("policies", [2, 3, 3]);
        Assert.False(result.Disagrees);
        Assert.True(result.GroupsDiffer);
        Assert.Equal([0, 1, 2, 0], result.CountsByLevel);
        Assert.Equal(3, result.SuggestedLevel);
    }

    [Fact]
    public void Unrated_and_out_of_range_levels_are_ignored()
    {
        var result = RatingComparison.Compare("vision", [null, 4, 0, 5, 4]);
        Assert.Equal(2, result.RatedGroups);
        Assert.False(result.GroupsDiffer);
        Assert.Equal([0, 0, 0, 2], result.CountsByLevel);
    }

    [Fact]
    public void A_row_nobody_rated_has_no_spread_and_no_suggestion()
    {
        var result = RatingComparison.Compare("plans", [null, null]);
        Assert.Equal(0, result.RatedGroups);
        Assert.False(result.Disagrees);
        Assert.Null(result.SuggestedLevel);
    }

    [Fact]
    public void Extreme_split_is_a_disagreement_and_suggestion_is_the_cautious_middle()
    {
        var result = RatingComparison.Compare("decisions", [1, 4]);
        Assert.True(result.Disagrees);
        Assert.Equal(3, result.Spread);
        Assert.Equal(1, result.SuggestedLevel);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(null, false)]
    public void Only_the_four_levels_are_valid(int? level, bool valid) => Assert.Equal(valid, RubricLevels.IsValid(level));

    [Fact]
    public void Finalizing_needs_a_consensus_on_every_row()
    {
        Assert.Equal(["plans", "decisions"], RubricFinalization.MissingConsensus(["vision", "plans", "decisions"], ["vision"]));
        Assert.Empty(RubricFinalization.MissingConsensus(["vision"], ["vision"]));
    }

    [Fact]
    public void Movement_is_positive_toward_collaboration()
    {
        Assert.Equal(1, RubricFinalization.Movement(2, 3));
        Assert.Equal(-1, RubricFinalization.Movement(3, 2));
        Assert.Null(RubricFinalization.Movement(null, 3));
    }
}
