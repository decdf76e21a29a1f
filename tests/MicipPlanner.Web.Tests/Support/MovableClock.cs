namespace MicipPlanner.Web.Tests.Support;

/// <summary>A clock the test moves, as the app's <see cref="TimeProvider"/>.</summary>
public sealed class MovableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
