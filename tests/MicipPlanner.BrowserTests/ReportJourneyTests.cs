using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using MicipPlanner.Domain.Balance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// A building monitoring report from the building team's draft to the district's acceptance: the building fills and
/// submits its report for a period, and the district accepts it from the desk's review queue.
/// </summary>
public sealed class ReportJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task A_building_submits_its_report_and_the_district_accepts_it_from_the_desk_queue() => RunAsync(async () =>
    {
        var (buildingId, buildingName, periodId) = await App.WithDbAsync(async db =>
        {
            var membership = await db.TeamMemberships.Where(m => m.BuildingId != null && db.Users.Any(u => u.Id == m.UserId && u.Email == "building1@example.org"))
                .Select(m => new { BuildingId = m.BuildingId!.Value, m.Building!.Name }).FirstAsync();
            var winter = await db.MonitoringPeriods.Where(p => p.DistrictId == Demo.Lakeshore && p.Name == "Winter").Select(p => p.Id).SingleAsync();
            return (membership.BuildingId, membership.Name, winter);
        });
        var path = $"{Demo.CycleRoot}/reports/periods/{periodId}/buildings/{buildingId}";

        var building = await SignedInPageAsync("building1@example.org");
        var report = await ReportPage.OpenAsync(building, path);
        await report.CheckAccessibilityAsync("the building's draft");
        foreach (var value in await building.Locator("section[aria-labelledby=values-title] input[inputmode=decimal]").AllAsync())
            await value.FillAsync("71");
        foreach (var activity in await building.Locator("section[aria-labelledby=activities-title] fieldset").AllAsync())
            await activity.GetByLabel("On track").CheckAsync();
        await building.Locator("#recommendations").FillAsync("Keep the coaching schedule; add a spring data day.");
        await report.SaveDraftAsync();
        await Expect(building.Locator("#recommendations")).ToHaveValueAsync("Keep the coaching schedule; add a spring data day.");
        await report.SubmitAsync();
        await Expect(building.Locator("body")).ToContainTextAsync("Submitted");

        var facilitator = await SignedInPageAsync("facilitator@example.org");
        var desk = await ReportPage.OpenAsync(facilitator, "/desk");
        await desk.CheckAccessibilityAsync("the desk with a report waiting");
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = $"Accept the Winter monitoring report of {buildingName}" }).ClickAsync());
        Assert.Equal(TemplateState.Accepted, await App.WithDbAsync(db =>
            db.BuildingReports.Where(r => r.PeriodId == periodId && r.BuildingId == buildingId).Select(r => r.State).SingleAsync()));
        await Expect(facilitator.GetByRole(AriaRole.Button, new() { Name = $"Accept the Winter monitoring report of {buildingName}" })).ToHaveCountAsync(0);
    });
}

/// <summary>A building monitoring report (or any page opened the same way).</summary>
public sealed class ReportPage(IPage page) : AppPage(page)
{
    public static async Task<ReportPage> OpenAsync(IPage page, string path)
    {
        await GotoAsync(page, path);
        return new ReportPage(page);
    }

    public Task SaveDraftAsync() => SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }));

    public Task SubmitAsync() => SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Submit to the district CI team" }));
}
