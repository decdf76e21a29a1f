using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>Journey 5: on a phone (390×844) the main screens scroll only vertically and every control can be reached.</summary>
public sealed class PhoneJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    private const int Width = 390, Height = 844;

    [Fact]
    public Task On_a_phone_the_dashboard_rubric_and_templates_fit_the_width_and_every_control_is_reachable() => RunAsync(async () =>
    {
        var leader = await SignedInPageAsync("leader@example.org", Width, Height);
        await DashboardPage.OpenAsync(leader, Demo.CycleRoot);
        await AssertFitsAndReachableAsync(leader, "dashboard");
        await RubricPage.OpenAsync(leader, Demo.CycleRoot, Demo.GroupA);
        await AssertFitsAndReachableAsync(leader, "rubric");
        await ComparePage.OpenAsync(leader, Demo.CycleRoot);
        await AssertFitsAndReachableAsync(leader, "compare and consensus");
        await TemplatePage.OpenAsync(leader, Demo.CycleRoot, null);
        await AssertFitsAndReachableAsync(leader, "district template");

        var building = await SignedInPageAsync("building2@example.org", Width, Height);
        await TemplatePage.OpenAsync(building, Demo.CycleRoot, Demo.Buildings[1]);
        await AssertFitsAndReachableAsync(building, "building template (draft)");
    });

    [Fact]
    public Task On_a_phone_the_evaluation_and_a_pdsa_cycle_fit_the_width_and_every_control_is_reachable() => RunAsync(async () =>
    {
        var leader = await SignedInPageAsync("leader@example.org", Width, Height);
        var pdsa = await App.WithDbAsync(db => db.PdsaCycles.Where(p => p.DistrictId == Demo.Lakeshore && p.CycleId == Demo.Cycle)
            .Select(p => p.Id).FirstAsync());
        foreach (var (path, screen) in new[]
        {
            ($"/districts/{Demo.Lakeshore}/cycles/{Demo.LastCycle}/evaluation", "year-end evaluation"),
            ($"{Demo.CycleRoot}/evaluation/carry-over", "goals carried over"),
            ($"{Demo.CycleRoot}/pdsa/{pdsa}", "PDSA cycle"),
        })
        {
            Assert.Equal(200, (await leader.GotoAsync(path))!.Status);
            await AssertFitsAndReachableAsync(leader, screen);
        }
    });

    private async Task AssertFitsAndReachableAsync(IPage page, string screen)
    {
        var width = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        Assert.True(width[0] <= width[1], $"The {screen} scrolls sideways on a phone: content {width[0]}px wide in {width[1]}px.");

        // The menu folds behind its toggle button on a phone: open it the way a person does.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
        await Expect(toggle).ToBeVisibleAsync();
        await toggle.ClickAsync();
        await Expect(page.Locator("#main-nav")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bshow\b"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeInViewportAsync();

        var problems = await page.EvaluateAsync<string[]>(@"() => {
            document.querySelectorAll('details').forEach(d => d.open = true);
            const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
            const problems = [];
            const vw = document.documentElement.clientWidth;
            for (const el of controls) {
                if (el.classList.contains('visually-hidden-focusable')) continue;
                const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} '${(el.textContent || el.value || '').trim().slice(0, 40)}'`;
                el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
                const r = el.getBoundingClientRect();
                if (r.width < 1 || r.height < 1) { problems.push(name + ' is not shown'); continue; }
                if (r.left < -1 || r.right > vw + 1) { problems.push(`${name} lies outside the screen (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`); continue; }
                // A disabled control takes no pointer (Bootstrap: pointer-events none) and is not for use yet; it must still fit.
                if (el.disabled) continue;
                // A link that wraps onto a second line is tapped on its text: the middle of its first line box, not of
                // the box around both lines (which may fall between them).
                const first = el.getClientRects()[0] || r;
                const hit = document.elementFromPoint(Math.min(Math.max(first.left + first.width / 2, 0), vw - 1), first.top + first.height / 2);
                const label = hit && hit.closest('label');
                if (!(hit && (el === hit || el.contains(hit) || (label && label.control === el))))
                    problems.push(`${name} is covered by ${hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing'}`);
            }
            window.scrollTo(0, 0);
            return problems;
        }");
        Assert.True(problems.Length == 0, $"On the {screen} at {Width}×{Height}:\n" + string.Join("\n", problems));
        Output.WriteLine($"{screen}: fits {width[1]}px, all controls reachable");
        await page.ReloadAsync();
    }
}
