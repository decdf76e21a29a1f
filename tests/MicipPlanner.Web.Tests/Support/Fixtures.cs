namespace MicipPlanner.Web.Tests.Support;

// xunit builds class fixtures from a type with one parameterless constructor, so each server configuration
// that a test class shares gets a name here. These only choose options; MicipWebFactory builds the host.
// The default configuration is MicipWebFactory itself.

/// <summary>A new server with no demo data and no accounts (first run; the target of a restore).</summary>
public sealed class EmptyServerFactory() : MicipWebFactory(new() { SeedDemo = false });

/// <summary>Every log entry captured, and a request header that makes any action throw, to see the error page.</summary>
public sealed class SecurityFactory() : MicipWebFactory(new() { CaptureLogs = true, FailOnHeader = true });

/// <summary>A low rate limit (3 attempts a minute) and a known HTTPS port, as behind a real TLS endpoint.</summary>
public sealed class RateLimitedFactory() : MicipWebFactory(new()
{
    Settings = new Dictionary<string, string?>
    {
        ["Security:RateLimitPermits"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Security:RateLimitWindowSeconds"] = "60",
        ["https_port"] = "443",
    },
})
{
    public const int Permits = 3;
}

/// <summary>Two-factor sign-in required for administrators and facilitators.</summary>
public sealed class StaffTwoFactorFactory() : MicipWebFactory(new()
{
    Settings = new Dictionary<string, string?> { ["Security:RequireTwoFactorForStaff"] = "true" },
});

/// <summary>A server whose configured browser does not exist, so handouts cannot be printed to PDF.</summary>
public sealed class NoBrowserFactory() : MicipWebFactory(new()
{
    Settings = new Dictionary<string, string?> { ["Pdf:BrowserPath"] = "/nonexistent/chromium" },
});

/// <summary>E-mail goes to <see cref="MicipWebFactory.Mail"/> instead of an SMTP server.</summary>
public sealed class MailingWebFactory() : MicipWebFactory(new() { CaptureMail = true });

/// <summary>Every SQL command counted per request.</summary>
public sealed class QueryCountingFactory() : MicipWebFactory(new() { CountSqlCommands = true });

/// <summary>The benchmark switch on, as the load benchmark starts the app (commands counted).</summary>
public sealed class BenchEnabledFactory() : MicipWebFactory(new()
{
    CountSqlCommands = true,
    Settings = new Dictionary<string, string?> { ["Bench:Enabled"] = "true" },
});

/// <summary>
/// The app against a real OpenID Connect provider (OpenIddict on Kestrel at 127.0.0.1), exactly as against Entra ID;
/// the staff two-factor rule on, every log entry kept for the log scan.
/// </summary>
public sealed class OidcFactory() : MicipWebFactory(new()
{
    OidcProvider = true,
    CaptureLogs = true,
    Settings = new Dictionary<string, string?> { ["Security:RequireTwoFactorForStaff"] = "true" },
})
{
    public const string ProviderName = OidcProviderName;
}

/// <summary>
/// No demo data, every log entry captured, and no OpenTelemetry collector whatever the machine's environment says
/// (an empty setting wins over an <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable).
/// </summary>
public sealed class OperationsFactory() : MicipWebFactory(new()
{
    SeedDemo = false,
    CaptureLogs = true,
    Settings = new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        ["Telemetry:OtlpEndpoint"] = "",
        ["Host:ShutdownTimeoutSeconds"] = "45",
    },
});
