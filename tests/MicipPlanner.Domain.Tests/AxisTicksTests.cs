using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Domain.Tests;

public class AxisTicksTests
{
    [Fact]
    public void Percentages_get_round_steps_inside_the_range()
    {
        Assert.Equal([0m, 25m, 50m, 75m, 100m], AxisTicks.Between(0m, 100m, wholeNumbers: false));
        Assert.Equal([45m, 47.5m, 50m, 52.5m], AxisTicks.Between(43.1m, 52.9m, wholeNumbers: false));
    }

    [Fact]
    public void Small_counts_never_get_fractional_ticks()
    {
        var ticks = AxisTicks.Between(0m, 3.3m, wholeNumbers: true);
        Assert.Equal([0m, 1m, 2m, 3m], ticks);
        Assert.All(AxisTicks.Between(2.7m, 5.4m, wholeNumbers: true), t => Assert.Equal(decimal.Truncate(t), t));
    }

    [Fact]
    public void Small_scores_keep_their_decimals()
    {
        Assert.Equal([2.5m, 3m, 3.5m, 4m], AxisTicks.Between(2.3m, 4.2m, wholeNumbers: false));
    }

    [Fact]
    public void An_empty_range_gives_its_one_value()
    {
        Assert.Equal([7m], AxisTicks.Between(7m, 7m, wholeNumbers: true));
    }
}
