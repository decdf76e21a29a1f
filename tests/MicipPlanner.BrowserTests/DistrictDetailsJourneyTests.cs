using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// The key leader saves the district's details unchanged (once refused as "Another district already uses this code"),
/// then turns network sharing off and on again, each time reading the form back.
/// </summary>
public sealed class DistrictDetailsJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task The_key_leader_saves_the_district_unchanged_and_turns_sharing_off_and_on() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org");
        // The key leader of one district starts on its dashboard.
        await page.GotoAsync("/");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Lakeshore Public Schools");
        var dashboard = new DashboardPage(page);
        await AppPage.NavigateByAsync(page, () => dashboard.DistrictNav.GetByRole(AriaRole.Link, new() { Name = "Team & buildings" }).ClickAsync());
        await AppPage.NavigateByAsync(page, () => page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "District details" }).ClickAsync());
        await Expect(page.Locator("main h1")).ToHaveTextAsync("District details");
        var editUrl = page.Url;
        Assert.EndsWith($"/districts/{Demo.Lakeshore}/edit", new Uri(editUrl).AbsolutePath);

        var sharing = page.GetByLabel("Share anonymised results with the network");
        await Expect(sharing).ToBeCheckedAsync();
        await Expect(sharing).ToBeEnabledAsync();

        // Nothing changed: saved, back on the organisation page.
        await SaveAsync(page);

        // Sharing off, and it stays off.
        await page.GotoAsync(editUrl);
        await sharing.UncheckAsync();
        await SaveAsync(page);
        await page.GotoAsync(editUrl);
        await Expect(sharing).Not.ToBeCheckedAsync();

        // And on again.
        await sharing.CheckAsync();
        await SaveAsync(page);
        await page.GotoAsync(editUrl);
        await Expect(sharing).ToBeCheckedAsync();
    });

    private static async Task SaveAsync(IPage page)
    {
        await AppPage.NavigateByAsync(page, () => page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync());
        Assert.EndsWith("/organisation", new Uri(page.Url).AbsolutePath);
        await Expect(page.Locator("main .alert-success[role=status]")).ToContainTextAsync("District details saved.");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Another district already uses this code");
    }
}
