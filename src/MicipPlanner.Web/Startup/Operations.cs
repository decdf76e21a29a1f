using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// What an operator running several instances relies on: log lines that carry the request's trace id, metrics and traces
/// over OTLP when a collector is named, and a shutdown that lets requests in flight finish.
/// </summary>
public static class Operations
{
    public const string ServiceName = "micip-planner";
    public const string OtlpEndpointSetting = "Telemetry:OtlpEndpoint";
    public const string OtlpProtocolSetting = "Telemetry:OtlpProtocol";
    /// <summary>The standard OpenTelemetry variable; read from any configuration source (environment, appsettings, command line).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ShutdownTimeoutSetting = "Host:ShutdownTimeoutSeconds";
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    public static void AddMicipOperations(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        // Every log line written during a request carries its trace and span ids as a scope, so the lines of one request
        // can be found across instances (and next to its trace). Formatters show scopes when IncludeScopes is on.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // On SIGTERM the server stops taking connections and waits this long for requests in flight before it stops anyway.
        var shutdownSeconds = configuration.GetValue(ShutdownTimeoutSetting, DefaultShutdownTimeout.TotalSeconds);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, shutdownSeconds)));

        AddTelemetry(builder.Services, configuration);
    }

    /// <summary>
    /// Metrics and traces only when a collector is named: without one nothing listens to the framework's activity sources
    /// or meters, so a request pays nothing for telemetry.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointSetting];
        var standardEndpoint = configuration[OtlpEndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(standardEndpoint)) return;

        var telemetry = services.AddOpenTelemetry()
            // Each instance gets its own service.instance.id; OTEL_SERVICE_NAME, when set, names the service instead.
            .ConfigureResource(resource => resource.AddService(
                string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]) ? ServiceName : configuration["OTEL_SERVICE_NAME"]!))
            .WithTracing(tracing => tracing
                // Load balancers ask for /healthz every few seconds: tracing them would bury the requests people make.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation()
                // Query text without parameter values: no personal data leaves in a trace.
                .AddEntityFrameworkCoreInstrumentation()
                // Npgsql publishes its own source and meter; named here so that the PostgreSQL provider needs no extra package.
                .AddSource("Npgsql"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql"));

        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            var protocol = string.Equals(configuration[OtlpProtocolSetting], "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint));
        }
        else
        {
            // The standard OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) as the exporter reads them.
            telemetry.UseOtlpExporter();
        }
    }
}
