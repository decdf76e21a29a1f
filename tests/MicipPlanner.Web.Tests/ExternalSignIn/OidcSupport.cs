using System.Net;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.TestIdentityProvider;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests.ExternalSignIn;

/// <summary>People and accounts for the sign-in tests, on a factory with <see cref="MicipWebOptions.OidcProvider"/> on.</summary>
public static class OidcPeople
{
    /// <summary>A person known to the provider, with a fresh address unless one is given.</summary>
    public static TestIdentity Person(this MicipWebFactory factory, string? email = null, bool verified = true, bool mfa = false)
    {
        email ??= $"person-{Guid.NewGuid():N}@example.net";
        var identity = new TestIdentity(email, "Provider-Pass-" + Guid.NewGuid().ToString("N")[..8], "sub-" + Guid.NewGuid().ToString("N"), email, verified, "Test Person", mfa);
        factory.Provider.AddIdentity(identity);
        return identity;
    }

    /// <summary>An account in the app with the demo password (and optionally a role).</summary>
    public static async Task<AppUser> AccountAsync(this MicipWebFactory factory, string email, string? role = null)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Account " + email[..6], CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, TestClient.DemoPassword);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        if (role is not null) await users.AddToRoleAsync(user, role);
        return user;
    }

    public static async Task<IList<UserLoginInfo>> LoginsOfAsync(this MicipWebFactory factory, string email)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        return user is null ? [] : await users.GetLoginsAsync(user);
    }
}

/// <summary>What the provider posts back to the app (code, state, iss) and where.</summary>
public sealed record ProviderAnswer(Uri Action, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string Field(string name) => Fields.Single(f => f.Key == name).Value;
}

/// <summary>
/// A browser's trip through the provider over real HTTP: the app's button redirects to the provider, the provider's
/// login form is posted, and the provider's auto-posting answer is delivered to the app's callback.
/// </summary>
public static class OidcJourney
{
    /// <summary>The whole trip from the sign-in page; returns the app's answer at the end (after its callback).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient app, TestIdentity person, string? password = null)
    {
        var answer = await ThroughProviderAsync(app, "/account/sign-in", "/account/sign-in/external", person, password);
        return await DeliverAsync(app, answer);
    }

    /// <summary>Presses a provider button on <paramref name="formPage"/> and signs in at the provider; returns its answer, not yet delivered.</summary>
    public static async Task<ProviderAnswer> ThroughProviderAsync(HttpClient app, string formPage, string startUrl, TestIdentity person, string? password = null)
    {
        var start = await app.PostFormAsync(startUrl, new() { ["provider"] = "Oidc" }, formPage);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.True(authorize.IsAbsoluteUri && authorize.IsLoopback, $"Expected a redirect to the provider, got {authorize}");
        Assert.Contains("code_challenge=", authorize.Query);
        Assert.Contains("code_challenge_method=S256", authorize.Query);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(authorize.GetLeftPart(UriPartial.Authority)),
        };
        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginPage = await browser.GetStringAsync(toLogin.Headers.Location);
        var returnUrl = Html.Parse(loginPage).Single("input[name=ReturnUrl]").GetAttribute("value") ?? "";
        var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = person.Username, ["Password"] = password ?? person.Password, ["ReturnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var answerPage = await browser.GetAsync(login.Headers.Location);
        var html = await answerPage.Content.ReadAsStringAsync();
        Assert.True(answerPage.StatusCode == HttpStatusCode.OK, $"The provider answered {(int)answerPage.StatusCode}: {html}");
        // The provider's answer is a form that posts itself: its action and hidden fields are what the browser sends.
        var form = Html.Parse(html).Single("form");
        var action = new Uri(form.GetAttribute("action")!);
        var fields = form.QuerySelectorAll("input[type=hidden]").Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        Assert.Contains(fields, f => f.Key == "code");
        return new ProviderAnswer(action, fields);
    }

    /// <summary>Posts the provider's answer to the app (as the browser does), then follows the app's redirect to its own callback.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient app, ProviderAnswer answer)
    {
        var posted = await app.PostAsync(answer.Action.PathAndQuery, new FormUrlEncodedContent(answer.Fields));
        if (posted.StatusCode != HttpStatusCode.Redirect || posted.Headers.Location is not { } next) return posted;
        var path = next.IsAbsoluteUri ? next.PathAndQuery : next.OriginalString;
        if (!path.StartsWith("/account/sign-in/external/callback", StringComparison.Ordinal) && !path.StartsWith("/account/security/logins/linked", StringComparison.Ordinal))
            return posted;
        return await app.GetAsync(path);
    }

    public static bool IsSignedIn(HttpResponseMessage securityPage) => securityPage.StatusCode == HttpStatusCode.OK;
}
