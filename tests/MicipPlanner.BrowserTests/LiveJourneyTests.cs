using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Live updates by push: a rating saved by one person shows on the other open screens of the district without a reload,
/// over WebSockets and over the transports SignalR falls back to where WebSockets are blocked.
/// </summary>
public sealed class LiveJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    /// <summary>Generous for a loaded machine; the point is that it comes without a reload, not how fast.</summary>
    private static readonly LocatorAssertionsToHaveValueOptions Soon = new() { Timeout = 10_000 };

    [Fact]
    public Task A_rating_saved_by_one_member_appears_on_the_others_rubric_and_on_the_comparison_page() => RunAsync(async () =>
    {
        var leaderPage = await SignedInPageAsync("leader@example.org");
        var memberPage = await SignedInPageAsync("member@example.org");
        var leader = await RubricPage.OpenAsync(leaderPage, Demo.CycleRoot, Demo.GroupA);
        var member = await RubricPage.OpenAsync(memberPage, Demo.CycleRoot, Demo.GroupA);
        var comparePage = await memberPage.Context.NewPageAsync();
        var compare = await ComparePage.OpenAsync(comparePage, Demo.CycleRoot);
        await member.MarkDocumentAsync();
        await comparePage.EvaluateAsync("() => { window.__micipMarker = 'not reloaded'; }");

        const string evidence = "Every building's plan names the district goal it serves; the board reviews them in May.";
        await leader.Row("vision").RateAndSaveAsync(3, evidence);

        await Expect(member.Row("vision").Evidence).ToHaveValueAsync(evidence, Soon);
        await Expect(member.Row("vision").Level(3)).ToBeCheckedAsync();
        await Expect(member.Row("vision").SaveStatus).ToContainTextAsync("Updated by Lee Leader");
        Assert.True(await member.StillSameDocumentAsync(), "The member's rubric was reloaded to show the change.");

        await Expect(compare.Row("vision")).ToContainTextAsync(evidence, new() { Timeout = 10_000 });
        await Expect(comparePage.Locator("#live-page-notice")).ToHaveTextAsync("Updated with changes by others.");
        Assert.Equal("not reloaded", await comparePage.EvaluateAsync<string?>("() => window.__micipMarker ?? null"));
        await compare.CheckAccessibilityAsync("updated by push");
    });

    [Theory]
    [InlineData("server-sent events", "delete window.WebSocket;")]
    [InlineData("long polling", "delete window.WebSocket; delete window.EventSource;")]
    public Task Without_WebSockets_the_rubric_still_receives_a_change(string transport, string blockScript) => RunAsync(async () =>
    {
        var leaderPage = await SignedInPageAsync("leader@example.org");
        var memberPage = await SignedInPageAsync("member@example.org");
        // As behind a proxy that blocks WebSockets: the page's script finds no WebSocket (nor EventSource) at all.
        await memberPage.AddInitScriptAsync(blockScript);
        var webSockets = 0;
        var liveRequests = 0;
        memberPage.WebSocket += (_, _) => webSockets++;
        memberPage.Request += (_, request) => { if (request.Url.Contains("/live?id=", StringComparison.Ordinal)) liveRequests++; };
        var leader = await RubricPage.OpenAsync(leaderPage, Demo.CycleRoot, Demo.GroupA);
        var member = await RubricPage.OpenAsync(memberPage, Demo.CycleRoot, Demo.GroupA);
        await member.MarkDocumentAsync();
        Assert.Equal("undefined", await memberPage.EvaluateAsync<string>("() => typeof window.WebSocket"));

        var evidence = $"Policies are reviewed each spring ({transport}).";
        var row = transport == "long polling" ? "goal-setting" : "policies";
        await leader.Row(row).RateAndSaveAsync(2, evidence);

        await Expect(member.Row(row).Evidence).ToHaveValueAsync(evidence, Soon);
        await Expect(member.Row(row).Level(2)).ToBeCheckedAsync();
        Assert.True(await member.StillSameDocumentAsync(), "The member's rubric was reloaded to show the change.");
        Assert.Equal(0, webSockets);
        Assert.True(liveRequests > 0, $"The page held no {transport} connection to /live.");
        await Expect(memberPage.Locator("#live-connection")).ToHaveTextAsync("");
    });
}
