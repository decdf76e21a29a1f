using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>Journey: signing in with the district's own accounts through the provider's login page.</summary>
public sealed class SingleSignOnJourneyTests(BrowserFixture browser, OidcApp app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<OidcApp>
{
    [Fact]
    public Task A_key_leader_signs_in_through_the_providers_login_page_and_finds_the_login_linked() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await Accessibility.AssertNoViolationsAsync(page, "with a provider button");
        await SignInThroughProviderAsync(page, "leader@example.org");
        await page.WaitForURLAsync(url => url.StartsWith(App.BaseUrl + "/districts/", StringComparison.Ordinal), new() { Timeout = 60_000 });
        await Expect(page.Locator("form[action='/account/sign-out']")).ToBeAttachedAsync();

        await page.GotoAsync("/account/security");
        await Expect(page.Locator("main")).ToContainTextAsync($"{OidcApp.ProviderName} is linked");
        await Accessibility.AssertNoViolationsAsync(page, "a linked login");
        await page.GotoAsync("/account/security/logins/remove?provider=Oidc");
        await Expect(page.Locator("main h1")).ToContainTextAsync($"Unlink your {OidcApp.ProviderName} account?");
        await Accessibility.AssertNoViolationsAsync(page, "unlink confirmation");
        await page.GotoAsync($"/districts/{Demo.Lakeshore}/sign-in-policy");
        await Expect(page.GetByLabel($"Sign in with {OidcApp.ProviderName}")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "district sign-in rules");
    });

    [Fact]
    public Task A_person_without_account_or_invitation_is_told_to_ask_for_one() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await SignInThroughProviderAsync(page, "new.teacher@example.org");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("You have no MICIP Planner account yet");
        await Expect(page.Locator("main")).ToContainTextAsync("Ask your district’s key leader to invite you");
        await Accessibility.AssertNoViolationsAsync(page, "refused sign-in");
    });

    private async Task SignInThroughProviderAsync(IPage page, string username)
    {
        // Two servers on a busy machine: the first trip (discovery, keys, first requests) may take a while.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {OidcApp.ProviderName}" }).ClickAsync(new() { Timeout = 60_000 });
        await page.WaitForURLAsync(url => url.StartsWith(((OidcApp)App).Provider.Issuer + "login", StringComparison.Ordinal), new() { Timeout = 60_000 });
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestIdentityProvider.TestIdentityProvider.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(new() { Timeout = 60_000 });
    }
}
