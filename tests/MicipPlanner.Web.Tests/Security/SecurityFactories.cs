using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicipPlanner.Web.Tests.Security;

/// <summary>
/// The app with every log entry captured (framework categories at Information, stricter than production)
/// and a test-only switch that makes any action throw, to see the error page.
/// </summary>
public class SecurityFactory : MicipWebFactory
{
    public const string FailHeader = "X-Test-Fail";
    public LogCapture Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Logging:LogLevel:Default", "Information"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Information"),
        new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Information"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
            services.Configure<MvcOptions>(options => options.Filters.Add(new FailOnRequestFilter())));
    }

    private sealed class FailOnRequestFilter : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext context)
        {
            // The error page itself (re-executed for the same request) must still render.
            if (context.HttpContext.Request.Headers.ContainsKey(FailHeader) && !context.HttpContext.Request.Path.StartsWithSegments("/error"))
                throw new InvalidOperationException("Deliberate failure for the error-page test.");
        }

        public void OnActionExecuted(ActionExecutedContext context) { }
    }
}

/// <summary>A low rate limit (3 attempts a minute) and a known HTTPS port, as behind a real TLS endpoint.</summary>
public sealed class RateLimitedFactory : MicipWebFactory
{
    public const int Permits = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Security:RateLimitPermits", Permits.ToString()),
        new("Security:RateLimitWindowSeconds", "60"),
        new("https_port", "443"),
    ];
}

/// <summary>Two-factor sign-in required for administrators and facilitators.</summary>
public sealed class StaffTwoFactorFactory : MicipWebFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Security:RequireTwoFactorForStaff", "true")];
}
