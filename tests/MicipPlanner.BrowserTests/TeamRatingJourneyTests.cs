using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>Journey 2: two members of the district team rate the same rubric at once; the key leader decides.</summary>
public sealed class TeamRatingJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task Two_members_rate_together_see_each_others_changes_resolve_a_conflict_and_the_key_leader_finalizes() => RunAsync(async () =>
    {
        var leaderPage = await SignedInPageAsync("leader@example.org");
        var memberPage = await SignedInPageAsync("member@example.org");
        var leader = await RubricPage.OpenAsync(leaderPage, Demo.CycleRoot, Demo.GroupA);
        var member = await RubricPage.OpenAsync(memberPage, Demo.CycleRoot, Demo.GroupA);
        await member.MarkDocumentAsync();

        // The leader rates a row; the member's open page shows it without a reload.
        const string plans = "Building plans are written separately; two of four cite the district goals.";
        await leader.Row("plans").RateAndSaveAsync(2, plans);
        await leader.CheckAccessibilityAsync("after saving a row");
        await Expect(member.Row("plans").Evidence).ToHaveValueAsync(plans);
        await Expect(member.Row("plans").Level(2)).ToBeCheckedAsync();
        await Expect(member.Row("plans").SaveStatus).ToContainTextAsync("Updated by Lee Leader");
        Assert.True(await member.StillSameDocumentAsync(), "The member's page was reloaded to show the change.");

        // The member's page stops hearing about changes for a while (a flaky network): the leader changes
        // a row the member is editing, so the member's autosave is stale and must not overwrite silently.
        await memberPage.RouteAsync("**/changes?*", route => route.AbortAsync());
        const string leaderText = "Decisions go through the cabinet; building teams hear of them afterwards.";
        const string memberText = "The board votes on recommendations the CI team has not seen.";
        await leader.Row("decisions").RateAndSaveAsync(2, leaderText);
        var row = member.Row("decisions");
        await row.Level(1).CheckAsync();
        await row.Evidence.FillAsync(memberText);
        await Expect(row.Conflict).ToBeVisibleAsync();
        await Expect(row.Conflict).ToContainTextAsync("Lee Leader saved this row");
        await Expect(row.Conflict).ToContainTextAsync(leaderText);
        await Expect(row.Evidence).ToHaveValueAsync(memberText);
        await Expect(row.Level(1)).ToBeCheckedAsync();
        await member.CheckAccessibilityAsync("conflict dialog");

        // Nothing is lost: the member merges both texts and keeps the merged version.
        var merged = memberText + "\n" + leaderText;
        await row.Evidence.FillAsync(merged);
        await row.KeepMine.ClickAsync();
        await Expect(row.SaveStatus).ToContainTextAsync("Saved at");
        await Expect(row.Conflict).ToHaveCountAsync(0);
        await memberPage.UnrouteAsync("**/changes?*");

        leader = await RubricPage.OpenAsync(leaderPage, Demo.CycleRoot, Demo.GroupA);
        await Expect(leader.Row("decisions").Evidence).ToHaveValueAsync(merged);
        await Expect(leader.Row("decisions").Level(1)).ToBeCheckedAsync();
        await Expect(leader.Row("plans").Evidence).ToHaveValueAsync(plans);

        // The key leader records the team's consensus on every row, then finalizes.
        var compare = await ComparePage.OpenAsync(leaderPage, Demo.CycleRoot);
        await Expect(compare.Row("routines")).ToContainTextAsync("Groups differ by 2 levels");
        (string Key, int Level)[] consensus = [("vision", 2), ("policies", 2), ("routines", 2), ("goal-setting", 2), ("plans", 2), ("decisions", 1)];
        foreach (var (key, level) in consensus)
            await compare.RecordConsensusAsync(key, level, $"Agreed by the whole team for {key}.");
        await compare.CheckAccessibilityAsync("consensus recorded");
        await compare.FinalizeAsync();
        await compare.CheckAccessibilityAsync("finalized");

        // Finalized: the member sees the consensus and can no longer change ratings.
        member = await RubricPage.OpenAsync(memberPage, Demo.CycleRoot, Demo.GroupA);
        await Expect(memberPage.Locator("main")).ToContainTextAsync("finalized");
        await Expect(member.Row("decisions").Level(1)).ToBeDisabledAsync();
        await Expect(member.Row("decisions").Evidence).ToBeDisabledAsync();
        await Expect(member.Row("decisions").Legend).ToContainTextAsync("Team consensus: Beginning");
        await Expect(member.Row("decisions").SaveButton).ToHaveCountAsync(0);
    });
}
