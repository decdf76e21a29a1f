using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// Limits wrong join codes per client address (a fixed window). Only failures count, so a room of people behind one
/// school network address can all join, while guessing codes stops after a handful of tries.
/// </summary>
public sealed class JoinGuard(IOptions<WorkshopOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    private sealed record Window(DateTimeOffset Start, int Failures);

    public bool IsBlocked(string client)
    {
        var window = Current(client);
        return window is not null && window.Failures >= Math.Max(1, options.Value.JoinFailuresPerWindow);
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow();
        // Bounded memory: a flood of addresses cannot grow the table without limit.
        if (_windows.Count > 50_000) _windows.Clear();
        _windows.AddOrUpdate(client, _ => new Window(now, 1),
            (_, w) => now - w.Start >= Length ? new Window(now, 1) : w with { Failures = w.Failures + 1 });
    }

    public int RetryAfterSeconds => (int)Length.TotalSeconds;

    private TimeSpan Length => TimeSpan.FromSeconds(Math.Max(1, options.Value.JoinWindowSeconds));

    private Window? Current(string client) =>
        _windows.TryGetValue(client, out var w) && clock.GetUtcNow() - w.Start < Length ? w : null;
}
