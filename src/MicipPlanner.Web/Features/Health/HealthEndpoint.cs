using System.Text.Json;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicipPlanner.Web.Features.Health;

/// <summary>Healthy when the database answers and every migration is applied; Degraded while some are pending.</summary>
public sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            var canConnect = await db.Database.CanConnectAsync(cancellationToken);
            if (!canConnect) return HealthCheckResult.Unhealthy("The database cannot be reached.");
            return pending == 0
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName?.Split('.').Last()} database is up to date.")
                : HealthCheckResult.Degraded($"{pending} migration(s) not applied.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception goes to the log (the health check service writes it), never into a probe's answer.
            return HealthCheckResult.Unhealthy("The database cannot be reached.", ex);
        }
    }
}

/// <summary>Unhealthy once the host is stopping, so a load balancer stops sending new requests while those in flight finish.</summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The server is shutting down.")
            : HealthCheckResult.Healthy("Serving requests."));
}

public static class HealthEndpoint
{
    /// <summary>The tag of the checks that decide whether an instance should get requests (<c>/healthz/ready</c>).</summary>
    public const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddMicipHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag]);

    /// <summary>
    /// <c>/healthz</c>: overall status plus one entry per component (database, PDF renderer, shutdown), as JSON; a pending
    /// migration or a missing PDF browser is Degraded and still 200.
    /// <c>/healthz/live</c>: 200 while the process serves requests; checks nothing outside it, so a restart never follows
    /// a database outage.
    /// <c>/healthz/ready</c>: 200 only when the database answers, no migration is pending and the server is not shutting
    /// down; 503 otherwise.
    /// </summary>
    public static void MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReportAsync,
        });
        endpoints.MapHealthChecks("/healthz/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteReportAsync,
        });
        endpoints.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReportAsync,
        });
    }

    // Status and our own descriptions only: an exception's message or stack never reaches an anonymous probe.
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Indented));
    }

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
