namespace MicipPlanner.Domain.Plan;

/// <summary>
/// Round values for a chart's value axis: steps of 1, 2, 2.5 or 5 times a power of ten, so a reader sees 0, 25, 50
/// rather than 0, 23.4, 46.8; counts get whole steps only, since half a student is not a reading.
/// </summary>
public static class AxisTicks
{
    private static readonly decimal[] Multiples = [1m, 2m, 2.5m, 5m, 10m];

    /// <summary>About <paramref name="wanted"/> ticks from the first round value at or above <paramref name="low"/> up to
    /// <paramref name="high"/>.</summary>
    public static IReadOnlyList<decimal> Between(decimal low, decimal high, bool wholeNumbers, int wanted = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        if (high <= low) return [low];
        var rough = (double)(high - low) / wanted;
        var magnitude = (decimal)Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = Multiples.Select(m => m * magnitude).First(s => s >= (decimal)rough);
        if (wholeNumbers) step = Math.Max(1m, Math.Ceiling(step));
        var ticks = new List<decimal>();
        for (var value = Math.Ceiling(low / step) * step; value <= high; value += step)
            ticks.Add(value);
        return ticks;
    }
}
