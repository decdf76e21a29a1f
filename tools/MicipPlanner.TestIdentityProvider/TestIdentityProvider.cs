using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicipPlanner.TestIdentityProvider;

/// <summary>A person the provider knows. The e-mail claim is marked verified or not, and the sign-in may assert multi-factor.</summary>
public sealed record TestIdentity(string Username, string Password, string Subject, string Email, bool EmailVerified, string Name, bool MultiFactor);

public sealed class TestIdentityProviderOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }
    public string ClientId { get; set; } = "micip-planner";
    public string ClientSecret { get; set; } = "test-provider-secret";
    public List<string> RedirectUris { get; } = [];
    public List<TestIdentity> Identities { get; } = [];
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on 127.0.0.1: discovery, authorization code flow with PKCE required,
/// signed id tokens, a login page. Clients are checked by id, secret and exact redirect address. Loopback only.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string DemoPassword = "Demo-Pass-2026!";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, TestIdentity> identities = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> redirectUris = new(StringComparer.Ordinal);
    private readonly TestIdentityProviderOptions options;

    /// <summary>The issuer, e.g. http://127.0.0.1:40123/ (with the trailing slash, as in its tokens).</summary>
    public string Issuer { get; private set; } = "";

    public string ClientId => options.ClientId;
    public string ClientSecret => options.ClientSecret;

    /// <summary>A few people for the demo: two linking to demo accounts, one with no account, one whose address is not verified.</summary>
    public static IReadOnlyList<TestIdentity> DemoIdentities { get; } =
    [
        new("leader@example.org", DemoPassword, "demo-leader", "leader@example.org", true, "Lakeshore Key Leader", MultiFactor: true),
        new("member@example.org", DemoPassword, "demo-member", "member@example.org", true, "Lakeshore Team Member", MultiFactor: false),
        new("facilitator@example.org", DemoPassword, "demo-facilitator", "facilitator@example.org", true, "Demo Facilitator", MultiFactor: true),
        new("new.teacher@example.org", DemoPassword, "demo-new-teacher", "new.teacher@example.org", true, "New Teacher", MultiFactor: false),
        new("unverified@example.org", DemoPassword, "demo-unverified", "unverified@example.org", false, "Unverified Person", MultiFactor: false),
    ];

    private TestIdentityProvider(WebApplication app, TestIdentityProviderOptions options)
    {
        this.app = app;
        this.options = options;
        foreach (var identity in options.Identities) AddIdentity(identity);
        foreach (var uri in options.RedirectUris) AllowRedirectUri(uri);
    }

    public void AddIdentity(TestIdentity identity) => identities[identity.Username] = identity;

    public void AllowRedirectUri(string uri) => redirectUris[uri] = 0;

    public static async Task<TestIdentityProvider> StartAsync(TestIdentityProviderOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TestIdentityProvider).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Development",
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(options.MinimumLogLevel);

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.Cookie.Name = "test-idp.session";
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        TestIdentityProvider? self = null;
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            server.DisableAccessTokenEncryption();
            // No database: the client (id, secret, redirect address) is checked by the handlers below.
            server.EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .DisableTransportSecurityRequirement();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.Equals(context.ClientId, self!.options.ClientId, StringComparison.Ordinal))
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri is null || !self.redirectUris.ContainsKey(context.RedirectUri))
                    context.Reject(Errors.InvalidRequest, "The redirect address is not registered for this client.");
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.Equals(context.ClientId, self!.options.ClientId, StringComparison.Ordinal)
                    || !string.Equals(context.ClientSecret, self.options.ClientSecret, StringComparison.Ordinal))
                    context.Reject(Errors.InvalidClient, "The client is not known or its secret is wrong.");
                return default;
            }));
        });

        var app = builder.Build();
        self = new TestIdentityProvider(app, options);
        app.UseAuthentication();
        app.MapGet("/login", (HttpContext http) => self.LoginPage(http.Request.Query["ReturnUrl"].ToString(), error: null));
        // Route handlers (their IResult is written), not plain request delegates.
        app.MapPost("/login", (Func<HttpContext, Task<IResult>>)self.LoginAsync);
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)self.AuthorizeAsync);
        app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)TokenAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self.Issuer = address.TrimEnd('/') + "/";
        return self;
    }

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var returnUrl = form["ReturnUrl"].ToString();
        var username = form["Username"].ToString().Trim();
        if (!identities.TryGetValue(username, out var identity) || !string.Equals(identity.Password, form["Password"].ToString(), StringComparison.Ordinal))
            return LoginPage(returnUrl, "The username or password is not right.");
        var session = new ClaimsIdentity([new Claim(ClaimTypes.Name, identity.Username)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(session));
        return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/login");
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!session.Succeeded || session.Principal?.Identity?.Name is not { } username || !identities.TryGetValue(username, out var person))
        {
            var parameters = http.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await http.Request.ReadFormAsync() : http.Request.Query;
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.Path + QueryString.Create(parameters) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }
        // Every trip through the provider asks for the login again, so a test or a demo can switch people.
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Email, person.Email).SetClaim(Claims.Name, person.Name);
        identity.AddClaim(new Claim(Claims.EmailVerified, person.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.SetClaims(Claims.AuthenticationMethodReference, person.MultiFactor ? ["pwd", "mfa"] : ["pwd"]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(static _ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (!request.IsAuthorizationCodeGrantType())
            return Results.BadRequest();
        // The code was validated by OpenIddict (signature, expiry, client, redirect address, PKCE verifier).
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return Results.SignIn(result.Principal!, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private IResult LoginPage(string returnUrl, string? error)
    {
        var encoder = HtmlEncoder.Default;
        var people = string.Concat(identities.Values.OrderBy(i => i.Username).Select(i =>
            $"<tr><td>{encoder.Encode(i.Username)}</td><td>{(i.EmailVerified ? "verified" : "not verified")}</td><td>{(i.MultiFactor ? "yes" : "no")}</td></tr>"));
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in – test identity provider</title></head>
            <body><main>
            <h1>Test identity provider</h1>
            <p>A provider for trying single sign-on on this machine. Every person's password is <code>{encoder.Encode(DemoPassword)}</code> unless a test chose another.</p>
            {(error is null ? "" : $"<p role=\"alert\">{encoder.Encode(error)}</p>")}
            <form method="post" action="/login">
            <input type="hidden" name="ReturnUrl" value="{encoder.Encode(returnUrl)}">
            <p><label for="Username">Username</label><br><input id="Username" name="Username" autocomplete="username" required></p>
            <p><label for="Password">Password</label><br><input id="Password" name="Password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            <table><caption>People this provider knows</caption><thead><tr><th scope="col">Username</th><th scope="col">E-mail address</th><th scope="col">Multi-factor</th></tr></thead>
            <tbody>{people}</tbody></table>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 400);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
