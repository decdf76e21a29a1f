using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests.Pages;

/// <summary>A Building (or District) Action Planning template, with the review box for the district side.</summary>
public sealed class TemplatePage(IPage page) : AppPage(page)
{
    public static async Task<TemplatePage> OpenAsync(IPage page, string cycleRoot, int? buildingId)
    {
        await GotoAsync(page, $"{cycleRoot}/balance/" + (buildingId is { } b ? $"buildings/{b}" : "district"));
        return new TemplatePage(page);
    }

    public ILocator Items => Page.Locator(".template-item");
    public ILocator StateBadge => Page.Locator(".state-badge");
    public ILocator ReturnedNotice => Page.Locator("main .alert").Filter(new() { HasText = "The district team returned this template" });
    public ILocator Timeline => Page.Locator("ol.timeline");

    public TemplateItem Item(int index) => new(Items.Nth(index));

    public async Task SaveDraftAsync()
    {
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }));
        await Expect(StatusMessage).ToBeVisibleAsync();
    }

    public async Task SubmitTemplateAsync()
    {
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Submit template" }));
        await Expect(StatusMessage).ToContainTextAsync("Submitted to the district team");
        await Expect(StateBadge).ToHaveTextAsync("Submitted");
    }

    public async Task ReturnAsync(string comment)
    {
        await Page.GetByLabel("What should the building change?").FillAsync(comment);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Return to the building" }));
        await Expect(StatusMessage).ToContainTextAsync("returned to the building");
    }

    public async Task AcceptAsync()
    {
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Accept template" }));
        await Expect(StatusMessage).ToContainTextAsync("accepted");
    }
}

public sealed class TemplateItem(ILocator card)
{
    public ILocator Card => card;
    public ILocator Status(string name) => card.GetByRole(AriaRole.Radio, new() { Name = name, Exact = true });
    public ILocator Evidence => card.GetByLabel("Evidence", new() { Exact = true });
    public ILocator NextAction => card.GetByLabel("Next action");
    public ILocator Owner => card.GetByLabel("Owner", new() { Exact = true });
    public ILocator TargetDate => card.GetByLabel("Target date");

    public async Task FillAsync(string status, string evidence, string nextAction = "", string owner = "")
    {
        await Status(status).CheckAsync();
        await Evidence.FillAsync(evidence);
        if (nextAction.Length > 0) await NextAction.FillAsync(nextAction);
        if (owner.Length > 0) await Owner.FillAsync(owner);
    }
}

/// <summary>The district's review queue of building templates.</summary>
public sealed class BalanceQueuePage(IPage page) : AppPage(page)
{
    public static async Task<BalanceQueuePage> OpenAsync(IPage page, string cycleRoot)
    {
        await GotoAsync(page, $"{cycleRoot}/balance");
        return new BalanceQueuePage(page);
    }

    public ILocator RowOf(string building) => Page.Locator("tbody tr").Filter(new() { Has = Page.Locator("th", new() { HasText = building }) });

    public async Task<TemplatePage> OpenTemplateAsync(string building)
    {
        await NavigateByAsync(Page, () => RowOf(building).GetByRole(AriaRole.Link).ClickAsync());
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Building Action Planning template");
        await CheckAccessibilityAsync();
        return new TemplatePage(Page);
    }
}

/// <summary>The district roll-up of building templates.</summary>
public sealed class RollupPage(IPage page) : AppPage(page)
{
    public static async Task<RollupPage> OpenAsync(IPage page, string cycleRoot, bool includeSubmitted = false)
    {
        await GotoAsync(page, $"{cycleRoot}/balance/rollup" + (includeSubmitted ? "?include=submitted" : ""));
        return new RollupPage(page);
    }

    public ILocator Summary => Page.Locator("main h1 + p");
    public ILocator NotSubmitted => Page.Locator("main .alert-warning").Filter(new() { HasText = "Not submitted yet" });
    public ILocator NextActions => Page.Locator("table tbody");
}
