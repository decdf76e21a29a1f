using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Journey 3: a building team fills and submits its Building Action Planning template; the district returns it
/// with a comment; the building sees the comment, edits and resubmits; the district accepts; the roll-up counts it.
/// Lakeshore Middle School (building3@) is used because its template is not started in the demo data
/// (Harbor View's is already submitted there).
/// </summary>
public sealed class BuildingTemplateJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    private const string Building = "Lakeshore Middle School";

    [Fact]
    public Task A_building_submits_the_district_returns_it_the_building_resubmits_and_the_district_accepts() => RunAsync(async () =>
    {
        var buildingId = Demo.Buildings[2];
        var buildingPage = await SignedInPageAsync("building3@example.org");
        var memberPage = await SignedInPageAsync("member@example.org");
        var leaderPage = await SignedInPageAsync("leader@example.org");

        // The building member fills every function and submits.
        var template = await TemplatePage.OpenAsync(buildingPage, Demo.CycleRoot, buildingId);
        await Expect(template.StateBadge).ToHaveTextAsync("Not started");
        await Expect(template.Items).ToHaveCountAsync(7);
        for (var i = 0; i < 7; i++)
        {
            var item = template.Item(i);
            if (i == 1)
                await item.FillAsync("Needs strengthening", "Coaching happens, but only in grade 6.", "Schedule coaching for grades 7 and 8", "Assistant principal");
            else if (i == 6)
                await item.FillAsync("Needs to be created", "No shared evaluation of the building goals yet.", "Agree evaluation questions with the district", "Building CI team");
            else
                await item.FillAsync("In place", $"Evidence for function {i + 1}: minutes of the building CI team.");
        }
        await template.SaveDraftAsync();
        await Expect(template.StateBadge).ToHaveTextAsync("Draft");
        await template.CheckAccessibilityAsync("draft saved");
        await template.SubmitTemplateAsync();
        await template.CheckAccessibilityAsync("submitted");

        // A district team member returns it with a comment.
        var queue = await BalanceQueuePage.OpenAsync(memberPage, Demo.CycleRoot);
        await Expect(queue.RowOf(Building)).ToContainTextAsync("Submitted");
        var review = await queue.OpenTemplateAsync(Building);
        const string comment = "Row 2: say by when the grade 7 and 8 coaching starts.";
        await review.ReturnAsync(comment);
        await Expect(queue.RowOf(Building)).ToContainTextAsync("Returned");
        await queue.CheckAccessibilityAsync("after returning a template");

        // The building member sees the comment, edits and resubmits.
        var notifications = await buildingPage.GotoAsync("/notifications");
        Assert.Equal(200, notifications!.Status);
        await Expect(buildingPage.Locator("main")).ToContainTextAsync($"returned the {Building} template");
        await Accessibility.AssertNoViolationsAsync(buildingPage, "notification of the return");
        template = await TemplatePage.OpenAsync(buildingPage, Demo.CycleRoot, buildingId);
        await Expect(template.StateBadge).ToHaveTextAsync("Returned");
        await Expect(template.ReturnedNotice).ToContainTextAsync(comment);
        await Expect(template.Item(1).NextAction).ToHaveValueAsync("Schedule coaching for grades 7 and 8");
        await template.Item(1).NextAction.FillAsync("Start coaching for grades 7 and 8 in January");
        await template.Item(1).TargetDate.FillAsync("2027-01-15");
        await template.SaveDraftAsync();
        await template.SubmitTemplateAsync();
        await Expect(template.Timeline).ToContainTextAsync(comment);

        // The key leader accepts; the roll-up counts the building.
        var leaderQueue = await BalanceQueuePage.OpenAsync(leaderPage, Demo.CycleRoot);
        var decision = await leaderQueue.OpenTemplateAsync(Building);
        await Expect(decision.Item(1).NextAction).ToHaveValueAsync("Start coaching for grades 7 and 8 in January");
        await decision.AcceptAsync();
        await Expect(leaderQueue.RowOf(Building)).ToContainTextAsync("Accepted");

        var rollup = await RollupPage.OpenAsync(leaderPage, Demo.CycleRoot);
        await Expect(rollup.Summary).ToContainTextAsync("1 of 4 building(s)");
        await Expect(rollup.NotSubmitted).Not.ToContainTextAsync(Building);
        await Expect(rollup.NextActions).ToContainTextAsync($"{Building}: Start coaching for grades 7 and 8 in January");

        // The building member sees the acceptance; the template is read-only.
        template = await TemplatePage.OpenAsync(buildingPage, Demo.CycleRoot, buildingId);
        await Expect(template.StateBadge).ToHaveTextAsync("Accepted");
        await Expect(buildingPage.GetByRole(AriaRole.Button, new() { Name = "Save draft" })).ToHaveCountAsync(0);
    });
}
