using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// The monthly monitoring meeting: the team opens the meeting page on two devices; one records a check-in and a value;
/// the other sees the activity's new state and the chart's new point without reloading. The page's one check-in form moves to
/// the activity opened; what was typed survives closing it and a reload; a double press of Record records once.
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
        var activityId = await leaderPage.Locator("#meeting-sections .meeting-activity:has(.meeting-open)").First.GetAttributeAsync("id");
        var measureId = await leaderPage.Locator("#meeting-sections .meeting-measure:has(svg.run-chart)").First.GetAttributeAsync("id");
        var pointsBefore = await member.Points(measureId!).CountAsync();

        // The page's one check-in form opens under the activity: the opener says so, and the focus moves into the form.
        var checkIn = leaderPage.Locator($"#{activityId}");
        var opener = checkIn.GetByRole(AriaRole.Button, new() { Name = "Record check-in" });
        await Expect(opener).ToHaveAttributeAsync("aria-expanded", "false");
        await opener.ClickAsync();
        await Expect(opener).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(opener).ToHaveAttributeAsync("aria-controls", "meeting-check-in");
        await Expect(checkIn.Locator("#meeting-check-in")).ToBeVisibleAsync();
        await Expect(checkIn.GetByLabel("On track")).ToBeFocusedAsync();

        // Typed but not recorded: Escape closes the form and gives the focus back; the entries come back with it, and after a
        // reload (which asks first).
        const string note = "Two coaches left; the schedule slips to spring.";
        await checkIn.GetByLabel("Off track").CheckAsync();
        await checkIn.GetByLabel("Note").FillAsync(note);
        await leaderPage.Keyboard.PressAsync("Escape");
        await Expect(opener).ToBeFocusedAsync();
        await Expect(opener).ToHaveAttributeAsync("aria-expanded", "false");
        var askedBeforeLeaving = false;
        leaderPage.Dialog += async (_, dialog) =>
        {
            askedBeforeLeaving |= dialog.Type == "beforeunload";
            await dialog.AcceptAsync();
        };
        await leaderPage.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        Assert.True(askedBeforeLeaving, "Leaving the page with unsaved entries did not ask first.");
        checkIn = leaderPage.Locator($"#{activityId}");
        await checkIn.GetByRole(AriaRole.Button, new() { Name = "Record check-in" }).ClickAsync();
        await Expect(checkIn.GetByLabel("Note")).ToHaveValueAsync(note);
        await Expect(checkIn.GetByLabel("Off track")).ToBeCheckedAsync();

        // Record, pressed twice in a row: one check-in.
        var record = checkIn.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true });
        await record.DblClickAsync();
        await Expect(checkIn.Locator(".save-status")).ToContainTextAsync("Saved at");
        await Expect(checkIn.GetByLabel("Note")).ToHaveValueAsync("");

        var measure = leaderPage.Locator($"#{measureId}");
        await measure.GetByRole(AriaRole.Button, new() { Name = "Record a value" }).ClickAsync();
        await measure.GetByLabel("Value (", new() { Exact = false }).FillAsync("57");
        await measure.GetByLabel("Note (optional)").FillAsync("December survey");
        await measure.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
        await Expect(measure.Locator(".save-status")).ToContainTextAsync("Saved at");
        await Expect(leaderPage.Locator("#meeting-sections .meeting-changes")).ToContainTextAsync("December survey");
        await leader.CheckAccessibilityAsync("after recording a check-in and a value");

        // The other device: the activity's new judgment, the news, and one more point on the chart, in the same document.
        await Expect(memberPage.Locator($"#{activityId} .activity-judgment")).ToContainTextAsync("Off track");
        await Expect(memberPage.Locator($"#{activityId} .activity-judgment")).ToContainTextAsync(note);
        await Expect(memberPage.Locator("#group-attention")).ToContainTextAsync(note);
        await Expect(member.Points(measureId!)).ToHaveCountAsync(pointsBefore + 1);
        await Expect(memberPage.Locator("#meeting-sections .meeting-changes li", new() { HasText = note })).ToHaveCountAsync(1);
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
