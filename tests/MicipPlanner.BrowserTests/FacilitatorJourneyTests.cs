using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Journey 1: a facilitator signs in, opens the demo district, starts the next cycle, adds a small group,
/// prints the workshop packet and a blank Handout 2 (routes from the design: …/handouts/packet.pdf and
/// /handouts/handout-2.pdf).
/// </summary>
public sealed class FacilitatorJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task A_facilitator_starts_a_cycle_adds_a_small_group_and_prints_the_packet_and_a_blank_handout() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync("facilitator@example.org", DemoPassword);
        await home.CheckAccessibilityAsync("facilitator's districts");
        var dashboard = await home.OpenDistrictAsync("Lakeshore Public Schools");

        // Start the next school year's cycle from the district's organisation page (Team & buildings).
        var cyclesBefore = await App.WithDbAsync(db => db.Cycles.CountAsync(c => c.DistrictId == Demo.Lakeshore));
        await NavigateAsync(page, dashboard.DistrictNav.GetByRole(AriaRole.Link, new() { Name = "Team & buildings" }));
        await NavigateAsync(page, page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Start a cycle" }));
        await Accessibility.AssertNoViolationsAsync(page, "start a cycle");
        var nextYear = await App.WithDbAsync(db => db.Cycles.Where(c => c.DistrictId == Demo.Lakeshore).MaxAsync(c => c.StartYear)) + 1;
        await page.GetByLabel("School year").FillAsync($"{nextYear}-{(nextYear + 1) % 100:00}");
        await NavigateAsync(page, page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Start cycle" }));
        await Accessibility.AssertNoViolationsAsync(page, "cycle started");
        Assert.Equal(cyclesBefore + 1, await App.WithDbAsync(db => db.Cycles.CountAsync(c => c.DistrictId == Demo.Lakeshore)));
        var cycleId = await App.WithDbAsync(db => db.Cycles.Where(c => c.DistrictId == Demo.Lakeshore).OrderByDescending(c => c.StartYear).Select(c => c.Id).FirstAsync());
        Assert.NotEqual(Demo.Cycle, cycleId);
        var root = $"/districts/{Demo.Lakeshore}/cycles/{cycleId}";

        // A small group for the workshop.
        var groups = await GroupsPage.OpenAsync(page, root);
        await groups.AddGroupAsync("Table 1", "Lee Leader", "Morgan Member");
        await groups.CheckAccessibilityAsync("group added");

        // The workshop packet: one PDF with a bookmark per handout.
        var dashboardOfCycle = await DashboardPage.OpenAsync(page, root);
        await NavigateAsync(page, dashboardOfCycle.DistrictNav.GetByRole(AriaRole.Link, new() { Name = "Handouts & report" }));
        await Accessibility.AssertNoViolationsAsync(page, "district handouts");
        var packetLink = page.Locator($"main a[href$='{root}/handouts/packet.pdf']");
        await Expect(packetLink.First).ToBeVisibleAsync();
        using (var packet = await DownloadPdfAsync(page, $"{root}/handouts/packet.pdf"))
        {
            // A cover and the six handouts (Handouts 1–3, the two templates, the facilitator guide), each with its bookmark.
            Assert.True(packet.TryGetBookmarks(out var bookmarks), "The packet has no bookmarks.");
            var titles = Flatten(bookmarks.Roots).Select(b => b.Title).ToList();
            Output.WriteLine($"Packet: {packet.NumberOfPages} pages; bookmarks: " + string.Join(" | ", titles));
            Assert.True(bookmarks.Roots.Count >= 6, $"Expected a bookmark per handout, found {bookmarks.Roots.Count} top-level bookmark(s).");
            foreach (var expected in new[] { "Handout 1", "Handout 2", "Handout 3", "Building", "District" })
                Assert.Contains(titles, t => t.Contains(expected, StringComparison.OrdinalIgnoreCase));
            Assert.Contains("Lakeshore", string.Join(" ", packet.GetPages().Take(2).Select(p => p.Text)));
        }

        // A blank Handout 2 from the public handouts list.
        await NavigateAsync(page, page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Blank handouts" }));
        await Accessibility.AssertNoViolationsAsync(page, "blank handouts");
        await Expect(page.Locator("main a[href$='/handouts/handout-2.pdf']").First).ToBeVisibleAsync();
        using var blank = await DownloadPdfAsync(page, "/handouts/handout-2.pdf");
        var text = string.Join(" ", blank.GetPages().Select(p => p.Text));
        Assert.Contains("Accomplished", text);
        Assert.DoesNotContain("Lakeshore", text);
    });

    private static Task NavigateAsync(IPage page, ILocator link) => AppPage.NavigateByAsync(page, () => link.ClickAsync());

    /// <summary>Fetches a PDF with the person's cookies, as the browser's download would.</summary>
    private static async Task<PdfDocument> DownloadPdfAsync(IPage page, string path)
    {
        var response = await page.Context.APIRequest.GetAsync(path);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"]);
        var bytes = await response.BodyAsync();
        return PdfDocument.Open(bytes);
    }

    private static IEnumerable<BookmarkNode> Flatten(IEnumerable<BookmarkNode> nodes) =>
        nodes.SelectMany(n => new[] { n }.Concat(Flatten(n.Children)));
}
