using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;

namespace MicipPlanner.Web.Features.Security;

/// <summary>Settings under <c>Security</c> in configuration.</summary>
public sealed class SecurityOptions
{
    /// <summary>When on, an administrator or facilitator without two-factor sign-in must set it up before anything else.</summary>
    public bool RequireTwoFactorForStaff { get; set; }

    /// <summary>Attempts per client address and window on sign-in, setup, two-factor and invitation endpoints.</summary>
    public int RateLimitPermits { get; set; } = 10;

    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Fetches of calendar feeds per client address and window. Generous: a calendar service fetches for many of its
    /// users from few addresses, and the token's 256 bits already make guessing hopeless; the limit only bounds load.
    /// </summary>
    public int CalendarFeedPermits { get; set; } = 120;

    public int CalendarFeedWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Addresses of the reverse proxies / load balancers in front of the app. Their X-Forwarded-For and
    /// X-Forwarded-Proto are trusted, so rate limits apply per real client and HTTPS is recognised.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Cookies only over HTTPS, HSTS and redirection to HTTPS. On by default outside Development; turn it
    /// off only for a trial on a private network without TLS (the cookies then travel in clear).
    /// </summary>
    public bool? RequireHttps { get; set; }

    public static bool HttpsRequired(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetSection("Security").Get<SecurityOptions>()?.RequireHttps ?? !environment.IsDevelopment();
}

/// <summary>
/// Hardening of the web tier: security headers, cookie policy, rate limiting of the endpoints that take
/// secrets, 403 instead of a redirect for refused requests, and the two-factor requirement for staff.
/// </summary>
public static class SecuritySetup
{
    /// <summary>Content Security Policy: scripts and styles only from the app's own files (no inline code).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static void AddMicipSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<SecurityOptions>(builder.Configuration.GetSection("Security"));
        var options = builder.Configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();

        // Structured logs outside Development: one JSON object per line with the request's TraceId in scope,
        // the same reference the error page shows.
        if (!builder.Environment.IsDevelopment())
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });

        // Cookies travel only over HTTPS outside Development, and scripts cannot read them.
        var secure = SecurityOptions.HttpsRequired(builder.Configuration, builder.Environment) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = secure;
            // A signed-in person refused by a role check gets 403 with the friendly page, not a redirect.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme, IdentityConstants.ExternalScheme })
            services.Configure<CookieAuthenticationOptions>(scheme, cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = secure;
            });
        services.Configure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = secure);
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.HttpOnly = true;
            tempData.Cookie.SecurePolicy = secure;
        });

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var window = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.RateLimitWindowSeconds;
                context.HttpContext.Response.Headers.RetryAfter = window.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MicipPlanner.Security")
                    .LogWarning("Rate limit reached on {Path}", context.HttpContext.Request.Path.Value);
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(Calendar.CalendarFeedController.RateLimitPolicy, http =>
                RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.CalendarFeedPermits),
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.CalendarFeedWindowSeconds)),
                    QueueLimit = 0,
                }));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!IsRateLimited(http.Request)) return RateLimitPartition.GetNoLimiter("");
                var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.RateLimitPermits),
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.RateLimitWindowSeconds)),
                    QueueLimit = 0,
                });
            });
        });
    }

    /// <summary>
    /// Endpoints that take a password, a one-time code or an invitation token: every POST to them, and
    /// every request to an invitation link (whose address holds the token).
    /// </summary>
    public static bool IsRateLimited(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.Contains("/invitations", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/invite", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!HttpMethods.IsPost(request.Method)) return false;
        return path.StartsWith("/account/sign-in", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/account/two-factor", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/account/recovery-code", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/account/security", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/setup", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// First in the pipeline: the client's real address from trusted proxies, then the security headers,
    /// so static files and error pages carry them too.
    /// </summary>
    public static void UseMicipSecurityHeaders(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection("Security").Get<SecurityOptions>()?.TrustedProxies ?? [];
        if (proxies.Length > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            app.UseForwardedHeaders(forwarded);
        }
        app.Use(SecurityHeadersAsync);
    }

    private static async Task SecurityHeadersAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // Sign-in buttons post to the app, which redirects to the provider: browsers check that redirect against form-action.
            var providers = context.RequestServices.GetService<ExternalSignIn.ExternalProviders>()?.FormActionSources;
            headers.ContentSecurityPolicy = string.IsNullOrEmpty(providers) ? ContentSecurityPolicy
                : ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + providers, StringComparison.Ordinal);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // A signed-in person's pages hold district data: keep them out of shared caches and the back-button cache.
            if (context.User.Identity?.IsAuthenticated == true && !headers.ContainsKey("Cache-Control"))
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>After authentication: rate limits and the two-factor requirement for staff.</summary>
    public static void UseMicipSecurity(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseMiddleware<StaffTwoFactorMiddleware>();
    }
}
