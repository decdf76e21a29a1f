using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Workshops;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using StackExchange.Redis;

namespace MicipPlanner.Web.Features.Live;

public static class LiveSetup
{
    public const string Policy = "Live";

    /// <summary>Where signed-in people's pages connect.</summary>
    public const string Path = "/live";

    /// <summary>Where seats connect: the participant cookie is sent only to /join addresses.</summary>
    public const string SeatPath = "/join/live";

    public static void AddLive(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var signalR = services.AddSignalR();
        // Several instances: a message sent on one reaches connections held by the others through Redis.
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = RedisChannel.Literal("micip"));
        services.AddSingleton<LivePublisher>();
        services.AddSingleton<IDataChangeListener>(sp => sp.GetRequiredService<LivePublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<LivePublisher>());
        // A connection needs a signed-in person or a workshop seat; without either, negotiation answers 401.
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ParticipantCookie.Scheme)
            .RequireAuthenticatedUser());
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, cookie =>
        {
            var toSignIn = cookie.Events.OnRedirectToLogin;
            cookie.Events.OnRedirectToLogin = context =>
            {
                if (!IsLive(context.Request.Path)) return toSignIn(context);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
    }

    public static void MapLive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<LiveHub>(Path);
        endpoints.MapHub<LiveHub>(SeatPath);
    }

    /// <summary>
    /// Refuses (403) a connection opened by a page of another site. The hub's addresses take no antiforgery token, and a
    /// WebSocket is not held to the browser's same-origin rule: without this, another site's page could open a connection
    /// with the visitor's cookies and hear when their district changes. Browsers always send Origin on these requests;
    /// the host is compared without the port, which a proxy in front may drop from Host.
    /// </summary>
    public static IApplicationBuilder UseLiveSameOrigin(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsLive(context.Request.Path) && context.Request.Headers.Origin is [{ } origin] && !SameHost(origin, context.Request.Host))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(context);
    });

    private static bool SameHost(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase);

    private static bool IsLive(PathString path) => path.StartsWithSegments(Path) || path.StartsWithSegments(SeatPath);
}
