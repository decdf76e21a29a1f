using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using MicipPlanner.Domain.Workshops;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Every GET page reachable for the demo key leader and a building member (and the anonymous pages, with a workshop
/// participant's evaluation step),
/// scanned with axe for WCAG 2.0/2.1 A and AA: zero violations.
/// </summary>
public sealed class AccessibilityScanTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task Anonymous_pages_have_no_violations() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await ScanAllAsync(page, ["/", "/account/sign-in", "/account/sign-in?ReturnUrl=%2Fnotifications"]);
        // The sign-in form after a wrong password: the error is shown and announced.
        var signIn = await SignInPage.OpenAsync(page);
        await signIn.Email.FillAsync("leader@example.org");
        await signIn.Password.FillAsync("not the password");
        await AppPage.NavigateByAsync(page, () => signIn.SignInButton.ClickAsync());
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        await signIn.CheckAccessibilityAsync("sign-in error");

        // A participant's phone (no account) while the facilitator has a workshop's year-end evaluation step open.
        var code = await App.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var workshop = new Workshop
            {
                DistrictId = Demo.Lakeshore, CycleId = Demo.Cycle, Code = WorkshopCodes.New(), IncludesActivity2 = true, GroupAssignment = GroupAssignment.RoundRobin,
                Step = WorkshopStep.Evaluation, StepOpenedAt = now, StartedAt = now, ExpiresAt = now.AddHours(8),
            };
            db.Workshops.Add(workshop);
            await db.SaveChangesAsync();
            return workshop.Code;
        });
        var phone = await NewPageAsync(390, 844);
        await phone.GotoAsync($"/join#{code}");
        await phone.GetByLabel("Your name").FillAsync("Scanning participant");
        await AppPage.NavigateByAsync(phone, () => phone.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync());
        await ScanAllAsync(phone, ["/join/workshop/evaluation"]);
    });

    [Fact]
    public Task Every_page_of_the_key_leader_has_no_violations() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org");
        var d = Demo.Lakeshore;
        var c = Demo.CycleRoot;
        var last = $"/districts/{d}/cycles/{Demo.LastCycle}";
        var seat = await App.WithDbAsync(db => db.TeamMemberships.Where(m => m.DistrictId == d && m.BuildingId == null)
            .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync());
        // A period whose report reached the district (it stays: the removal is unavailable) and one that can be removed.
        var periods = await App.WithDbAsync(db => db.MonitoringPeriods.Where(p => p.DistrictId == d && (p.Name == "Fall" || p.Name == "Winter"))
            .OrderBy(p => p.DueDate).Select(p => p.Id).ToListAsync());
        await ScanAllAsync(page,
        [
            "/", c, $"{c}/activity-1", $"{c}/rubric", $"{c}/rubric?group={Demo.GroupB}", $"{c}/rubric/compare", $"{c}/rubric/discussion",
            $"{c}/rubric/groups", $"/districts/{d}/rubric/history", $"{c}/actions", $"{c}/balance",
            $"{c}/balance/buildings/{Demo.Buildings[0]}", $"{c}/balance/buildings/{Demo.Buildings[1]}", $"{c}/balance/buildings/{Demo.Buildings[2]}",
            $"{c}/balance/district", $"{c}/balance/rollup", $"{c}/balance/rollup?include=submitted",
            $"/districts/{d}/organisation", $"/districts/{d}/edit", $"/districts/{d}/buildings/new", $"/districts/{d}/buildings/{Demo.Buildings[0]}/edit",
            "/notifications", last, $"{last}/rubric", $"{last}/rubric/compare", "/account/access-denied",
            $"/districts/{d}/audit", $"/districts/{d}/invitations/new", $"/districts/{d}/cycles/new", $"/districts/{d}/organisation/members/{seat}",
            $"/districts/{d}/organisation/members/{seat}/remove", "/account/security", "/account/security/authenticator",
            $"{c}/handouts", $"{c}/handouts/handout-1", $"{c}/handouts/handout-2", $"{c}/handouts/handout-3", $"{c}/handouts/building-template",
            $"{c}/handouts/district-template", $"{c}/handouts/facilitator-guide", $"{c}/report", $"{c}/plan", $"{c}/monitoring", $"{c}/reports",
            .. periods.Select(p => $"{c}/reports/periods/{p}"),
        ]);
        // Learning and evaluating: the PDSA cycles (each, and the lists per activity and goal), sharing a decided cycle's
        // learning, the year-end evaluation (this year's and last year's, decided), carrying goals over, the board report.
        var pdsa = await App.WithDbAsync(db => db.PdsaCycles.Where(p => p.DistrictId == d && p.CycleId == Demo.Cycle)
            .Select(p => new { p.Id, p.ActivityId, p.Decision }).ToListAsync());
        var goal = await App.WithDbAsync(db => db.PlanGoals.Where(g => g.DistrictId == d && g.CycleId == Demo.Cycle).Select(g => g.Id).FirstAsync());
        Assert.NotEmpty(pdsa);
        await ScanAllAsync(page,
        [
            .. pdsa.Select(p => $"{c}/pdsa/{p.Id}"), $"{c}/pdsa/activities/{pdsa[0].ActivityId}", $"{c}/pdsa/goals/{goal}",
            .. pdsa.Where(p => p.Decision is not null).Take(1).Select(p => $"/districts/{d}/practice-notes/from-pdsa/{p.Id}"),
            $"{c}/evaluation", $"{c}/evaluation/carry-over", $"{last}/evaluation", $"{c}/board-report",
        ]);
    });

    [Fact]
    public Task Administrator_and_public_pages_have_no_violations() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("admin@example.org");
        await ScanAllAsync(page,
        [
            "/", "/admin/people", "/admin/import", "/districts/new", "/handouts", "/handouts/handout-1", "/handouts/handout-2", "/handouts/handout-3",
            "/handouts/building-template", "/handouts/district-template", "/handouts/facilitator-guide", "/handouts/pdsa-worksheet", "/invitations/open",
        ]);
    });

    [Fact]
    public Task Every_page_of_a_building_member_has_no_violations() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("building1@example.org");
        var c = Demo.CycleRoot;
        await ScanAllAsync(page,
        [
            "/", c, $"{c}/activity-1", $"{c}/rubric", $"{c}/rubric/compare", $"{c}/rubric/discussion", $"/districts/{Demo.Lakeshore}/rubric/history",
            $"{c}/actions", $"{c}/balance", $"{c}/balance/buildings/{Demo.Buildings[0]}", $"{c}/balance/rollup", "/notifications",
            $"{c}/plan", $"{c}/monitoring", $"{c}/evaluation", $"{c}/board-report",
        ]);
    });

    [Fact]
    public Task Radio_groups_have_legends_charts_have_text_alternatives_and_errors_are_tied_to_their_fields() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org");
        var c = Demo.CycleRoot;
        foreach (var path in new[] { $"{c}/rubric", $"{c}/rubric/compare", $"{c}/balance/district", $"{c}/balance/buildings/{Demo.Buildings[1]}", $"{c}/rubric/groups", $"{c}/balance/rollup?include=submitted", $"/districts/{Demo.Lakeshore}/rubric/history" })
        {
            Assert.Equal(200, (await page.GotoAsync(path))!.Status);
            var problems = await page.EvaluateAsync<string[]>(@"() => {
                const problems = [];
                for (const radio of document.querySelectorAll('input[type=radio]')) {
                    const legend = radio.closest('fieldset')?.querySelector(':scope > legend');
                    if (!legend || !legend.textContent.trim()) problems.push(`radio #${radio.id} is not in a fieldset with a legend`);
                }
                for (const chart of document.querySelectorAll('svg.chart')) {
                    const title = chart.getAttribute('aria-labelledby') && document.getElementById(chart.getAttribute('aria-labelledby'));
                    if (chart.getAttribute('role') !== 'img' || !title || !title.textContent.trim()) problems.push('a chart has no text alternative');
                    const section = chart.closest('section') || chart.parentElement.parentElement;
                    if (!section.querySelector('table') && !chart.parentElement.parentElement.querySelector('table')) problems.push('a chart has no table of its numbers beside it');
                }
                for (const field of document.querySelectorAll('[aria-describedby]')) {
                    for (const id of field.getAttribute('aria-describedby').split(/\s+/).filter(x => x)) {
                        const target = document.getElementById(id);
                        if (!target) { problems.push(`#${field.id} is described by missing #${id}`); continue; }
                        if (id.endsWith('-error') && target.getAttribute('role') !== 'alert' && !target.closest('[aria-live]'))
                            problems.push(`#${id} (an error message) is not announced`);
                    }
                }
                return problems;
            }");
            Assert.True(problems.Length == 0, path + ":\n" + string.Join("\n", problems));
        }

        // A rejected form says why next to the field, and the message is announced and tied to the field.
        var groups = await GroupsPage.OpenAsync(page, c);
        await AppPage.NavigateByAsync(page, () => page.Locator("section[aria-labelledby=add-group]").GetByRole(AriaRole.Button, new() { Name = "Add group" }).ClickAsync());
        var error = page.Locator("#new-group-name-error");
        await Microsoft.Playwright.Assertions.Expect(error).Not.ToBeEmptyAsync();
        await Microsoft.Playwright.Assertions.Expect(error).ToHaveAttributeAsync("role", "alert");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#new-group-name")).ToHaveAttributeAsync("aria-describedby", "new-group-name-error");
        await groups.CheckAccessibilityAsync("group name missing");
    });

    private async Task ScanAllAsync(IPage page, IEnumerable<string> paths)
    {
        var failures = new List<string>();
        foreach (var path in paths)
        {
            var started = DateTime.UtcNow;
            var response = await page.GotoAsync(path);
            // The access-denied page answers 403 by design; every other page must answer 200.
            if (response?.Status != (path.StartsWith("/account/access-denied", StringComparison.Ordinal) ? 403 : 200)) { failures.Add($"GET {path} answered {response?.Status}"); continue; }
            try { await Accessibility.AssertNoViolationsAsync(page); }
            catch (AccessibilityException e) { failures.Add(e.Message); }
            Output.WriteLine($"{path}: {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
