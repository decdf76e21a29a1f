using System.Net;
using MicipPlanner.Domain.Accounts;
using MicipPlanner.Web.Features.Invitations;
using MicipPlanner.Web.Features.Security;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MicipPlanner.Web.Features.ExternalSignIn;

/// <summary>One OpenID Connect provider under <c>Authentication:Microsoft</c>, <c>:Google</c> or <c>:Oidc</c>.</summary>
public sealed class ProviderSettings
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Microsoft only: the directory (tenant) id, or <c>organizations</c> for any work or school account.</summary>
    public string TenantId { get; set; } = "organizations";

    /// <summary>Generic OpenID Connect only: the issuer address (its discovery document is read from there).</summary>
    public string Authority { get; set; } = "";

    /// <summary>The button text after "Sign in with" (defaults: Microsoft, Google, your organisation).</summary>
    public string DisplayName { get; set; } = "";
}

/// <summary>Settings under <c>Authentication</c>.</summary>
public sealed class ExternalSignInOptions
{
    public const string Section = "Authentication";

    public ProviderSettings Microsoft { get; set; } = new();
    public ProviderSettings Google { get; set; } = new();
    public ProviderSettings Oidc { get; set; } = new();

    /// <summary>Administrators and facilitators may sign in only through a provider (ignored while none is configured).</summary>
    public bool DisableLocalPasswordsForStaff { get; set; }
}

/// <summary>A configured provider as the screens show it.</summary>
public sealed record ExternalProvider(string Scheme, string DisplayName);

/// <summary>The providers configured on this server, in the order the sign-in page shows them.</summary>
public sealed class ExternalProviders(IReadOnlyList<ExternalProvider> providers, bool disableLocalPasswordsForStaff)
{
    public IReadOnlyList<ExternalProvider> All { get; } = providers;

    public bool Any => All.Count > 0;

    /// <summary>Only meaningful with a provider to sign in through; otherwise staff would be locked out.</summary>
    public bool LocalPasswordsDisabledForStaff { get; } = disableLocalPasswordsForStaff && providers.Count > 0;

    /// <summary>Origins of the providers' sign-in pages, allowed as form targets in the Content Security Policy.</summary>
    public string FormActionSources { get; init; } = "";

    public ExternalProvider? Find(string? scheme) => All.FirstOrDefault(p => string.Equals(p.Scheme, scheme, StringComparison.Ordinal));

    /// <summary>"Microsoft", "Google", or the configured name of the generic provider; "a password" for the password.</summary>
    public string NameOf(string method) => Find(method)?.DisplayName ?? SignInText.MethodName(method);
}

public static class ExternalSignInSetup
{
    public static void AddExternalSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ExternalSignInOptions.Section);
        var options = section.Get<ExternalSignInOptions>() ?? new ExternalSignInOptions();
        var httpsRequired = SecurityOptions.HttpsRequired(builder.Configuration, builder.Environment);
        var providers = new List<ExternalProvider>();
        var authentication = services.AddAuthentication();

        if (IsConfigured(options.Microsoft))
        {
            var settings = options.Microsoft;
            var tenant = string.IsNullOrWhiteSpace(settings.TenantId) ? "organizations" : settings.TenantId.Trim();
            providers.Add(new ExternalProvider(SignInMethods.Microsoft, NameOr(settings, "Microsoft")));
            authentication.AddOpenIdConnect(SignInMethods.Microsoft, NameOr(settings, "Microsoft"), o =>
            {
                Configure(o, settings, $"https://login.microsoftonline.com/{tenant}/v2.0", "/signin-microsoft", httpsRequired);
                o.Prompt = "select_account";
                // Multi-tenant authorities ("organizations", "common") sign tokens with the person's own tenant as issuer.
                if (MicrosoftIssuers.IsMultiTenant(tenant)) o.TokenValidationParameters.IssuerValidator = MicrosoftIssuers.Validate;
            });
        }
        if (IsConfigured(options.Google))
        {
            var settings = options.Google;
            providers.Add(new ExternalProvider(SignInMethods.Google, NameOr(settings, "Google")));
            authentication.AddOpenIdConnect(SignInMethods.Google, NameOr(settings, "Google"), o =>
            {
                Configure(o, settings, "https://accounts.google.com", "/signin-google", httpsRequired);
                o.Prompt = "select_account";
            });
        }
        if (IsConfigured(options.Oidc) && !string.IsNullOrWhiteSpace(options.Oidc.Authority))
        {
            var settings = options.Oidc;
            providers.Add(new ExternalProvider(SignInMethods.Oidc, NameOr(settings, "your organisation")));
            authentication.AddOpenIdConnect(SignInMethods.Oidc, NameOr(settings, "your organisation"), o =>
                Configure(o, settings, settings.Authority.Trim(), "/signin-oidc", httpsRequired));
        }

        services.Configure<ExternalSignInOptions>(section);
        var origins = new List<string>();
        if (IsConfigured(options.Microsoft)) origins.Add("https://login.microsoftonline.com");
        if (IsConfigured(options.Google)) origins.Add("https://accounts.google.com");
        if (providers.Any(p => p.Scheme == SignInMethods.Oidc) && Uri.TryCreate(options.Oidc.Authority.Trim(), UriKind.Absolute, out var issuer))
            origins.Add(issuer.GetLeftPart(UriPartial.Authority));
        services.AddSingleton(new ExternalProviders(providers, options.DisableLocalPasswordsForStaff) { FormActionSources = string.Join(" ", origins) });
        services.AddScoped<SignInPolicyService>();
        services.AddScoped<InvitationJoiner>();
    }

    private static bool IsConfigured(ProviderSettings settings) => !string.IsNullOrWhiteSpace(settings.ClientId);

    private static string NameOr(ProviderSettings settings, string fallback) =>
        string.IsNullOrWhiteSpace(settings.DisplayName) ? fallback : settings.DisplayName.Trim();

    /// <summary>Authorization code flow with PKCE, answers posted back (codes never in a URL), no tokens kept.</summary>
    private static void Configure(OpenIdConnectOptions o, ProviderSettings settings, string authority, string callbackPath, bool httpsRequired)
    {
        o.Authority = authority;
        o.ClientId = settings.ClientId.Trim();
        o.ClientSecret = string.IsNullOrWhiteSpace(settings.ClientSecret) ? null : settings.ClientSecret.Trim();
        o.CallbackPath = callbackPath;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.FormPost;
        o.UsePkce = true;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.Scope.Add("email");
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;
        o.DisableTelemetry = true;
        o.TokenValidationParameters.NameClaimType = "name";
        // An issuer on this machine (a test or demo provider) may speak plain HTTP; any other must use HTTPS.
        o.RequireHttpsMetadata = !IsLoopback(authority);
        // The answer is posted from the provider's site: the correlation and nonce cookies must travel with it (SameSite=None,
        // which browsers accept only on Secure cookies). Over plain HTTP (a trial on loopback) the provider is same-site.
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SecurePolicy = httpsRequired ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.SameSite = httpsRequired ? SameSiteMode.None : SameSiteMode.Lax;
        }
        o.Events.OnTokenValidated = context =>
        {
            // Identity finds the provider's key for the person under NameIdentifier; the raw claims keep their token names.
            if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity
                && identity.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier) is null && identity.FindFirst("sub") is { } subject)
                identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, subject.Value));
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = context =>
        {
            // Cancelled at the provider, a replayed or forged answer, an expired attempt: say so on the sign-in page.
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MicipPlanner.ExternalSignIn")
                .LogWarning("External sign-in through {Provider} failed: {Reason}", context.Scheme.Name, context.Failure?.GetType().Name);
            context.Response.Redirect(context.HttpContext.RequestServices.GetRequiredService<LinkGenerator>()
                .GetPathByAction(context.HttpContext, nameof(Account.AccountController.SignIn), "Account", new { external = "failed" })!);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    public static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}

/// <summary>Issuers of Microsoft Entra ID tokens when the app accepts accounts of any organisation.</summary>
public static class MicrosoftIssuers
{
    public static bool IsMultiTenant(string tenant) =>
        tenant.Equals("organizations", StringComparison.OrdinalIgnoreCase) || tenant.Equals("common", StringComparison.OrdinalIgnoreCase);

    /// <summary>Accepts exactly https://login.microsoftonline.com/{tid}/v2.0 where {tid} is the token's own tenant.</summary>
    public static string Validate(string issuer, SecurityToken token, TokenValidationParameters parameters)
    {
        var tenant = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        if (!string.IsNullOrEmpty(tenant) && Guid.TryParse(tenant, out _)
            && string.Equals(issuer, $"https://login.microsoftonline.com/{tenant}/v2.0", StringComparison.Ordinal))
            return issuer;
        throw new SecurityTokenInvalidIssuerException("The token's issuer is not the Microsoft Entra ID tenant it names.");
    }
}
