using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Digest;

/// <summary>
/// Runs <see cref="DigestRun"/> shortly after start and then every few minutes. Every instance runs it; the claim rows
/// in the database, not anything in this process, make each digest go out once (ADR 022).
/// </summary>
public sealed class DigestService(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DigestOptions> options,
    ILogger<DigestService> logger) : BackgroundService
{
    /// <summary>The first run waits this long, so that start-up (migrations, seeding) is over.</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        try
        {
            await Task.Delay(FirstRunDelay, clock, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckEveryMinutes), clock);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DigestRun>().RunAsync(clock.GetUtcNow(), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database hiccup must not end the service: the next tick tries again, and claims keep it from sending twice.
            logger.LogWarning(ex, "The daily digest run failed; it is tried again at the next check");
        }
    }
}
