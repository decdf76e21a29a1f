using System.Text.Json;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicipPlanner.Web.Features.Health;

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
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database check failed: " + ex.GetType().Name);
        }
    }
}

public static class HealthEndpoint
{
    /// <summary>/healthz: overall status plus one entry per component (database, PDF renderer), as JSON.</summary>
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
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                var body = new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new
                    {
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description,
                    }),
                };
                await context.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            },
        });
    }
}
