using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests.Pages;

/// <summary>Activity 2: one group's ratings, a card per rubric row.</summary>
public sealed class RubricPage(IPage page) : AppPage(page)
{
    public static async Task<RubricPage> OpenAsync(IPage page, string cycleRoot, int? groupId = null)
    {
        await GotoAsync(page, $"{cycleRoot}/rubric" + (groupId is { } g ? $"?group={g}" : ""));
        return new RubricPage(page);
    }

    public RubricRow Row(string key) => new(Page, key);

    public ILocator RemoteNotice => Page.Locator("#remote-notice");

    /// <summary>A marker in the page's window: still there means the page was never reloaded.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__micipMarker = 'not reloaded'; }");

    public async Task<bool> StillSameDocumentAsync() => await Page.EvaluateAsync<string?>("() => window.__micipMarker ?? null") == "not reloaded";
}

public sealed class RubricRow(IPage page, string key)
{
    public ILocator Section => page.Locator($"#row-{key}");
    public ILocator Legend => Section.Locator("legend");
    public ILocator Level(int level) => page.Locator($"#row-{key}-level-{level}");
    public ILocator Evidence => page.Locator($"#row-{key}-evidence");
    public ILocator SaveButton => Section.GetByRole(AriaRole.Button, new() { NameRegex = new("^Save row") });
    public ILocator SaveStatus => Section.Locator(".save-status");
    /// <summary>The conflict dialog: the script's (after an autosave) or the server's (after a plain post).</summary>
    public ILocator Conflict => Section.Locator(".js-conflict, .conflict-panel");
    public ILocator KeepMine => Conflict.GetByRole(AriaRole.Button, new() { Name = "Keep mine" });
    public ILocator Fieldset => Section.Locator("fieldset").First;

    public async Task<int?> CheckedLevelAsync()
    {
        for (var level = 1; level <= 4; level++)
            if (await Level(level).IsCheckedAsync()) return level;
        return null;
    }

    /// <summary>Chooses a level and writes evidence with the mouse, then saves with the button (a full post).</summary>
    public async Task RateAndSaveAsync(int level, string evidence)
    {
        await Level(level).CheckAsync();
        await Evidence.FillAsync(evidence);
        await AppPage.NavigateByAsync(page, () => SaveButton.ClickAsync());
        await Expect(page.Locator("main .alert-success[role=status]")).ToContainTextAsync("Saved row");
    }
}

/// <summary>Comparison of the groups' ratings, consensus per row, finalizing.</summary>
public sealed class ComparePage(IPage page) : AppPage(page)
{
    public static async Task<ComparePage> OpenAsync(IPage page, string cycleRoot)
    {
        await GotoAsync(page, $"{cycleRoot}/rubric/compare");
        return new ComparePage(page);
    }

    public ILocator Row(string key) => Page.Locator($"#consensus-{key}");

    public async Task RecordConsensusAsync(string key, int level, string rationale)
    {
        var row = Row(key);
        await Page.Locator($"#consensus-{key}-level-{level}").CheckAsync();
        await Page.Locator($"#consensus-{key}-rationale").FillAsync(rationale);
        await SubmitAsync(row.GetByRole(AriaRole.Button, new() { Name = "Record consensus" }));
        await Expect(StatusMessage).ToContainTextAsync("Consensus recorded");
        await Expect(Row(key)).ToContainTextAsync(rationale);
    }

    public async Task FinalizeAsync()
    {
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Finalize rubric" }));
        await Expect(StatusMessage).ToContainTextAsync("finalized");
    }
}

/// <summary>Rating groups: rename, members, add a small group.</summary>
public sealed class GroupsPage(IPage page) : AppPage(page)
{
    public static async Task<GroupsPage> OpenAsync(IPage page, string cycleRoot)
    {
        await GotoAsync(page, $"{cycleRoot}/rubric/groups");
        return new GroupsPage(page);
    }

    public async Task AddGroupAsync(string name, params string[] members)
    {
        var form = Page.Locator("section[aria-labelledby=add-group]");
        await form.GetByLabel("Group name").FillAsync(name);
        foreach (var member in members) await form.GetByLabel(member).CheckAsync();
        await SubmitAsync(form.GetByRole(AriaRole.Button, new() { Name = "Add group" }));
        await Expect(Page.Locator("main h2").Filter(new() { HasText = name })).ToBeVisibleAsync();
    }
}
