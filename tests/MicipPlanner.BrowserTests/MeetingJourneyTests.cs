using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// The monthly monitoring meeting: the team opens the meeting page on two devices; one records a check-in and a value;
/// the other sees the activity's new state and the chart's new point without reloading.
/// </summary>
public sealed class MeetingJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task One_person_records_a_check_in_and_a_value_and_the_other_sees_them_without_reloading() => RunAsync(async () =>
    {
        var leaderPage = await SignedInPageAsync("leader@example.org");
        var memberPage = await SignedInPageAsync("member@example.org");
        var leader = await MeetingPage.OpenAsync(leaderPage, Demo.CycleRoot);
        var member = await MeetingPage.OpenAsync(memberPage, Demo.CycleRoot);
        await member.MarkDocumentAsync();

        // The first activity the meeting talks about that still takes check-ins, and the first measure's chart.
        var activityId = await leaderPage.Locator("#meeting-sections .meeting-activity:has(form)").First.GetAttributeAsync("id");
        var measureId = await leaderPage.Locator("#meeting-sections .meeting-measure:has(svg.run-chart)").First.GetAttributeAsync("id");
        var pointsBefore = await member.Points(measureId!).CountAsync();

        const string note = "Two coaches left; the schedule slips to spring.";
        var checkIn = leaderPage.Locator($"#{activityId}");
        await checkIn.GetByText("Record a check-in").ClickAsync();
        await checkIn.GetByLabel("Off track").CheckAsync();
        await checkIn.GetByLabel("Note").FillAsync(note);
        await checkIn.GetByRole(AriaRole.Button, new() { Name = "Record check-in" }).ClickAsync();
        await Expect(checkIn.Locator(".save-status")).ToContainTextAsync("Saved at");

        var measure = leaderPage.Locator($"#{measureId}");
        await measure.GetByText("Record a value").ClickAsync();
        await measure.GetByLabel("Value (", new() { Exact = false }).FillAsync("57");
        await measure.GetByLabel("Note (optional)").FillAsync("December survey");
        await measure.GetByRole(AriaRole.Button, new() { Name = "Record value" }).ClickAsync();
        await Expect(measure.Locator(".save-status")).ToContainTextAsync("Saved at");
        await Expect(leaderPage.Locator("#meeting-sections .meeting-changes")).ToContainTextAsync("December survey");
        await leader.CheckAccessibilityAsync("after recording a check-in and a value");

        // The other device: the activity's new judgment, the news, and one more point on the chart, in the same document.
        await Expect(memberPage.Locator($"#{activityId} .activity-judgment")).ToContainTextAsync("Off track");
        await Expect(memberPage.Locator($"#{activityId} .activity-judgment")).ToContainTextAsync(note);
        await Expect(memberPage.Locator("#group-attention")).ToContainTextAsync(note);
        await Expect(member.Points(measureId!)).ToHaveCountAsync(pointsBefore + 1);
        await Expect(memberPage.Locator("#meeting-sections .meeting-changes")).ToContainTextAsync("December survey");
        Assert.True(await member.StillSameDocumentAsync(), "The second device reloaded the page to show the changes.");
        await member.CheckAccessibilityAsync("after the sections were refreshed");
    });
}

/// <summary>The monitoring meeting page.</summary>
public sealed class MeetingPage(IPage page) : AppPage(page)
{
    public static async Task<MeetingPage> OpenAsync(IPage page, string cycleRoot)
    {
        await GotoAsync(page, $"{cycleRoot}/monitoring");
        return new MeetingPage(page);
    }

    /// <summary>The points of a measure's district-wide run chart.</summary>
    public ILocator Points(string measureSectionId) => Page.Locator($"#{measureSectionId} .measure-chart svg.run-chart .run-chart-point");

    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__micipMarker = 'not reloaded'; }");

    public async Task<bool> StillSameDocumentAsync() => await Page.EvaluateAsync<string?>("() => window.__micipMarker ?? null") == "not reloaded";
}
