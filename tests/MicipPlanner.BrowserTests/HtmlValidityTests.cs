using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// The pages the browser journeys visit, as the demo people see them, are valid HTML by the Nu HTML checker: one vnu run
/// over all of them at the end. Java and vnu.jar are installed by ./scripts/setup.sh; without them the test fails.
/// </summary>
public sealed class HtmlValidityTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    private const string NetworkName = "Great Lakes Collaboration Network";

    [Fact]
    public Task Every_page_the_journeys_visit_is_valid_html() => RunAsync(async () =>
    {
        var html = new HtmlChecker();
        var d = Demo.Lakeshore;
        var c = Demo.CycleRoot;

        var anonymous = await NewPageAsync();
        await html.VisitAsync(anonymous, "/");
        await html.VisitAsync(anonymous, "/account/sign-in");
        // The sign-in form after a wrong password, with its error.
        await anonymous.GetByLabel("E-mail address").FillAsync("leader@example.org");
        await anonymous.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password");
        await AppPage.NavigateByAsync(anonymous, () => anonymous.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync());
        await Expect(anonymous.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        await html.AddCurrentAsync(anonymous, "wrong password");

        var leader = await SignedInPageAsync("leader@example.org");
        await VisitAllAsync(html, leader,
        [
            "/", c, $"{c}/activity-1", $"{c}/rubric", $"{c}/rubric/compare", $"{c}/rubric/discussion", $"{c}/rubric/groups",
            $"/districts/{d}/rubric/history", $"{c}/actions", $"{c}/balance", $"{c}/balance/buildings/{Demo.Buildings[0]}",
            $"{c}/balance/buildings/{Demo.Buildings[1]}", $"{c}/balance/district", $"{c}/balance/rollup", $"{c}/balance/rollup?include=submitted",
            $"/districts/{d}/organisation", $"/districts/{d}/edit", $"/districts/{d}/buildings/new", $"/districts/{d}/audit",
            $"/districts/{d}/invitations/new", $"/districts/{d}/cycles/new", $"/districts/{d}/practice-notes", "/notifications",
            $"{c}/handouts", $"{c}/handouts/handout-1", $"{c}/handouts/handout-2", $"{c}/handouts/building-template", $"{c}/report",
            $"{c}/plan", $"{c}/monitoring", $"{c}/reports",
            .. await App.WithDbAsync(db => db.MonitoringPeriods.Where(p => p.DistrictId == d && (p.Name == "Fall" || p.Name == "Winter"))
                .OrderBy(p => p.DueDate).Select(p => $"{c}/reports/periods/{p.Id}").ToListAsync()),
            "/account/security",
        ]);
        await html.VisitAsync(leader, "/account/access-denied", expectedStatus: 403);

        var networkId = await App.WithDbAsync(db => db.Networks.Where(n => n.Name == NetworkName).Select(n => n.Id).SingleAsync());
        await VisitAllAsync(html, await SignedInPageAsync("member@example.org"), ["/networks", $"/networks/{networkId}", $"/networks/{networkId}?row=routines&level=3"]);
        await VisitAllAsync(html, await SignedInPageAsync("building1@example.org"), ["/", c, $"{c}/balance/buildings/{Demo.Buildings[0]}"]);
        await VisitAllAsync(html, await SignedInPageAsync("admin@example.org"),
            ["/admin/people", "/admin/import", "/districts/new", "/networks/new", $"/networks/{networkId}/edit", "/handouts", "/handouts/handout-2", "/handouts/facilitator-guide"]);

        // Workshop mode: the facilitator's desk, the start form and the presenter view; a phone's join page and participant pages.
        var facilitator = await SignedInPageAsync("facilitator@example.org");
        await VisitAllAsync(html, facilitator, ["/desk", $"{c}/workshops/new"]);
        await facilitator.GetByLabel("Let participants pick their group").CheckAsync();
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = "Start the workshop" }).ClickAsync());
        await html.VisitAsync(facilitator, facilitator.Url);
        var code = (await facilitator.Locator(".presenter-code").InnerTextAsync()).Replace("Workshop code", "").Trim().Replace("-", "");

        var phone = await NewPageAsync(390, 844);
        await html.VisitAsync(phone, "/join");
        await phone.GetByLabel("Workshop code").FillAsync(code);
        await phone.GetByLabel("Your name").FillAsync("Ana");
        await AppPage.NavigateByAsync(phone, () => phone.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync());
        await html.AddCurrentAsync(phone, "choosing a group");
        await phone.Locator("input[type=radio]").First.CheckAsync();
        await AppPage.NavigateByAsync(phone, () => phone.GetByRole(AriaRole.Button, new() { Name = "Join this group" }).ClickAsync());
        await Expect(phone.Locator("h1")).ToContainTextAsync("Welcome, Ana");
        await html.VisitAsync(phone, phone.Url);
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = "Open Activity 2" }).ClickAsync());
        await html.VisitAsync(facilitator, facilitator.Url);
        await Expect(phone.Locator("h1")).ToContainTextAsync("rate the rubric", new() { Timeout = 20_000 });
        await html.VisitAsync(phone, phone.Url);

        // A page with a known error goes along, so a checker that silently checks nothing cannot pass.
        const string control = "control page with a duplicate id";
        html.Add(control, "<!DOCTYPE html><html lang=\"en\"><head><title>Control</title></head><body><p id=\"twice\"></p><p id=\"twice\"></p></body></html>");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var found = await html.FindErrorsAsync();
        Output.WriteLine($"vnu checked {html.Count} pages in {watch.ElapsedMilliseconds} ms: {found.Count} error(s).");
        Assert.Contains(found, e => e.StartsWith(control, StringComparison.Ordinal) && e.Contains("Duplicate ID", StringComparison.Ordinal));
        var errors = found.Where(e => !e.StartsWith(control, StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"The Nu HTML checker found {errors.Count} error(s):\n" + string.Join("\n", errors));
    });

    private static async Task VisitAllAsync(HtmlChecker html, IPage page, IEnumerable<string> paths)
    {
        foreach (var path in paths) await html.VisitAsync(page, path);
    }
}
