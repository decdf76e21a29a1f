using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicipPlanner.Infrastructure.Pdf;

/// <summary>/healthz entry: Healthy with a browser, Degraded without one (print views still work).</summary>
public sealed class PdfRendererHealthCheck(IPdfRenderer renderer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(renderer.IsAvailable
            ? HealthCheckResult.Healthy(renderer.IsRunning ? "PDF browser is running." : "PDF browser found; it starts with the first PDF.")
            : HealthCheckResult.Degraded("No Chromium browser found: PDF downloads answer 503, print views work. Install Chromium or set Pdf:BrowserPath."));
}

public static class PdfSetup
{
    /// <summary>The shared PDF renderer (one browser for the whole app) and its health check.</summary>
    public static IServiceCollection AddPdfRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PdfOptions>(configuration.GetSection(PdfOptions.Section));
        services.AddSingleton<ChromiumPdfRenderer>();
        services.AddSingleton<IPdfRenderer>(sp => sp.GetRequiredService<ChromiumPdfRenderer>());
        services.AddHealthChecks().AddCheck<PdfRendererHealthCheck>("pdf");
        return services;
    }
}
