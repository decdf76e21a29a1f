using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>Journey 4: rating a rubric row, writing evidence and saving with the keyboard alone.</summary>
public sealed class KeyboardJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task A_member_rates_a_row_writes_evidence_and_saves_with_the_keyboard_alone_seeing_where_the_focus_is() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org");
        var rubric = await RubricPage.OpenAsync(page, Demo.CycleRoot, Demo.GroupA);
        var keyboard = page.Keyboard;

        // Tab from the top of the page to the first level of row 5 ("plans", not rated yet); every stop shows its focus.
        var stops = 0;
        while (!(await ActiveIdAsync(page)).StartsWith("row-plans-level-", StringComparison.Ordinal))
        {
            Assert.True(++stops < 120, "Row 5's levels were not reached with the Tab key.");
            await keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
        }
        Assert.Equal("row-plans-level-1", await ActiveIdAsync(page));

        // Arrow keys move along the levels and choose one (here: Evolving).
        await keyboard.PressAsync("ArrowRight");
        await keyboard.PressAsync("ArrowRight");
        Assert.Equal("row-plans-level-3", await ActiveIdAsync(page));
        await Expect(rubric.Row("plans").Level(3)).ToBeCheckedAsync();
        await AssertFocusVisibleAsync(page);

        // Tab to the evidence, type it, Tab to the row's save button and press Enter.
        await keyboard.PressAsync("Tab");
        Assert.Equal("row-plans-evidence", await ActiveIdAsync(page));
        await AssertFocusVisibleAsync(page);
        const string evidence = "Each building plan now names the district goal it serves.";
        await keyboard.TypeAsync(evidence);
        await keyboard.PressAsync("Tab");
        await Expect(rubric.Row("plans").SaveButton).ToBeFocusedAsync();
        await AssertFocusVisibleAsync(page);
        await AppPage.NavigateByAsync(page, () => keyboard.PressAsync("Enter"));
        await Expect(rubric.StatusMessage).ToContainTextAsync("Saved row 5");
        await rubric.CheckAccessibilityAsync("saved by keyboard");

        // Stored: a fresh load shows the level and the evidence.
        rubric = await RubricPage.OpenAsync(page, Demo.CycleRoot, Demo.GroupA);
        await Expect(rubric.Row("plans").Level(3)).ToBeCheckedAsync();
        await Expect(rubric.Row("plans").Evidence).ToHaveValueAsync(evidence);
    });

    private static Task<string> ActiveIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

    /// <summary>The focused element draws an outline of at least 2px or a focus ring (box-shadow).</summary>
    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var focus = await page.EvaluateAsync<System.Text.Json.JsonElement>(@"() => {
            const el = document.activeElement;
            if (!el || el === document.body) return { visible: false, description: 'nothing focused' };
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            const ring = s.boxShadow && s.boxShadow !== 'none';
            const r = el.getBoundingClientRect();
            return {
                visible: (outline || ring) && r.width > 0 && r.height > 0,
                description: `${el.tagName.toLowerCase()}#${el.id} '${(el.textContent || '').trim().slice(0, 40)}' outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}; size ${r.width}x${r.height}`
            };
        }");
        Assert.True(focus.GetProperty("visible").GetBoolean(), "No visible focus indicator on " + focus.GetProperty("description").GetString());
    }
}
