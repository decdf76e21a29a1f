using System.Net;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.ExternalSignIn;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MicipPlanner.Web.Tests.ExternalSignIn;

/// <summary>
/// Microsoft and Google are configured from settings alone (no call to them is made here), and
/// <c>Authentication:DisableLocalPasswordsForStaff</c> turns passwords off for administrators and facilitators.
/// </summary>
public sealed class ProviderSettingsTests(OidcFactory factory) : IClassFixture<OidcFactory>
{
    private WebApplicationFactory<Program> WithAllProviders() => factory.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Authentication:Microsoft:ClientId", "11111111-2222-3333-4444-555555555555");
        builder.UseSetting("Authentication:Microsoft:ClientSecret", "microsoft-secret");
        builder.UseSetting("Authentication:Google:ClientId", "1234.apps.googleusercontent.com");
        builder.UseSetting("Authentication:Google:ClientSecret", "google-secret");
        builder.UseSetting("Authentication:DisableLocalPasswordsForStaff", "true");
    });

    [Fact]
    public async Task Microsoft_and_Google_use_the_code_flow_with_pkce_over_https_and_appear_on_the_sign_in_page()
    {
        await using var app = WithAllProviders();
        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>();
        var microsoft = options.Get("Microsoft");
        Assert.Equal("https://login.microsoftonline.com/organizations/v2.0", microsoft.Authority);
        Assert.Equal("/signin-microsoft", microsoft.CallbackPath);
        Assert.NotNull(microsoft.TokenValidationParameters.IssuerValidator);
        var google = options.Get("Google");
        Assert.Equal("https://accounts.google.com", google.Authority);
        Assert.Equal("/signin-google", google.CallbackPath);
        foreach (var o in new[] { microsoft, google, options.Get("Oidc") })
        {
            Assert.Equal("code", o.ResponseType);
            Assert.Equal("form_post", o.ResponseMode);
            Assert.True(o.UsePkce);
            Assert.False(o.SaveTokens);
            Assert.Contains("email", o.Scope);
        }
        Assert.True(microsoft.RequireHttpsMetadata);
        Assert.True(google.RequireHttpsMetadata);
        Assert.False(options.Get("Oidc").RequireHttpsMetadata); // the loopback test provider only

        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var page = await client.GetAsync("/account/sign-in");
        var html = await page.Content.ReadAsStringAsync();
        // The buttons' redirect to each provider is an allowed form target, and nothing else is.
        var formAction = string.Join(";", page.Headers.GetValues("Content-Security-Policy")).Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("form-action", StringComparison.Ordinal));
        Assert.Equal($"form-action 'self' https://login.microsoftonline.com https://accounts.google.com {factory.Provider.Issuer.TrimEnd('/')}", formAction);
        Assert.Contains("Sign in with Microsoft", html);
        Assert.Contains("Sign in with Google", html);
        Assert.Contains($"Sign in with {OidcFactory.ProviderName}", html);
    }

    [Fact]
    public async Task With_local_passwords_off_for_staff_only_non_staff_sign_in_with_a_password()
    {
        await using var app = WithAllProviders();
        HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        var admin = await Browser().PostFormAsync("/account/sign-in", new() { ["Email"] = "admin@example.org", ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
        Assert.Contains("Administrators and facilitators sign in with", await admin.Content.ReadAsStringAsync());
        var member = await Browser().PostFormAsync("/account/sign-in", new() { ["Email"] = "member@example.org", ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, member.StatusCode);

        // The password no longer counts as a way in, so a facilitator's only linked login stays.
        var email = $"coach-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email, AppRoles.Facilitator);
        var coach = Browser();
        Assert.Equal("/", (await OidcJourney.SignInAsync(coach, factory.Person(email, mfa: true))).Headers.Location!.OriginalString);
        var refused = await coach.PostUnofferedAsync("/account/security/logins/remove", new() { ["provider"] = "Oidc" }, "/account/security");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public void Without_a_provider_the_staff_password_switch_does_nothing()
    {
        Assert.False(new ExternalProviders([], disableLocalPasswordsForStaff: true).LocalPasswordsDisabledForStaff);
        Assert.True(new ExternalProviders([new("Oidc", "ISD")], disableLocalPasswordsForStaff: true).LocalPasswordsDisabledForStaff);
    }

    [Fact]
    public void Microsoft_multi_tenant_tokens_must_name_their_own_tenant_as_issuer()
    {
        var tenant = Guid.NewGuid().ToString();
        var token = new JsonWebToken(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor { Claims = new Dictionary<string, object> { ["tid"] = tenant } }));
        var own = $"https://login.microsoftonline.com/{tenant}/v2.0";
        Assert.Equal(own, MicrosoftIssuers.Validate(own, token, new TokenValidationParameters()));
        Assert.Throws<SecurityTokenInvalidIssuerException>(() =>
            MicrosoftIssuers.Validate($"https://login.microsoftonline.com/{Guid.NewGuid()}/v2.0", token, new TokenValidationParameters()));
        Assert.Throws<SecurityTokenInvalidIssuerException>(() => MicrosoftIssuers.Validate("https://evil.example/" + tenant + "/v2.0", token, new TokenValidationParameters()));
    }
}
