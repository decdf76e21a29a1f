using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests.Pages;

/// <summary>What every screen has: the status message after a save, the main heading, and an axe scan.</summary>
public abstract class AppPage(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>The confirmation shown after a successful post-redirect-get.</summary>
    public ILocator StatusMessage => Page.Locator("main .alert-success[role=status]");

    public ILocator Heading => Page.Locator("main h1");

    /// <summary>Scans the page as it is now; fails on any WCAG 2.1 A/AA violation.</summary>
    public Task CheckAccessibilityAsync(string? state = null) => Accessibility.AssertNoViolationsAsync(Page, state);

    /// <summary>Goes to a path, expects 200 and the page to be ready, and scans it.</summary>
    protected static async Task GotoAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        if (response is null || response.Status != 200)
            throw new InvalidOperationException($"GET {path} answered {response?.Status.ToString() ?? "nothing"} ({page.Url}).");
        await Accessibility.AssertScreenHasNoViolationsAsync(page);
    }

    /// <summary>Clicks a button (or presses a key) that loads a new document, and waits until that document is complete.</summary>
    protected Task SubmitAsync(ILocator button) => NavigateByAsync(Page, () => button.ClickAsync());

    public static async Task NavigateByAsync(IPage page, Func<Task> action)
    {
        await page.EvaluateAsync("() => { window.__micipOldDocument = true; }");
        await action();
        await page.WaitForFunctionAsync("() => !window.__micipOldDocument && document.readyState === 'complete'", null,
            new PageWaitForFunctionOptions { PollingInterval = 100 });
    }

    protected static Task ExpectStatusAsync(AppPage screen, string text) => Expect(screen.StatusMessage).ToContainTextAsync(text);
}

public sealed class SignInPage(IPage page) : AppPage(page)
{
    public static async Task<SignInPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/account/sign-in");
        return new SignInPage(page);
    }

    public ILocator Email => Page.GetByLabel("E-mail address");
    public ILocator Password => Page.GetByLabel("Password", new() { Exact = true });
    public ILocator SignInButton => Page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    public async Task<HomePage> SignInAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await SubmitAsync(SignInButton);
        // Signed in: the page offers to sign out (behind the menu button on a phone).
        await Expect(Page.Locator("form[action='/account/sign-out']")).ToBeAttachedAsync();
        return new HomePage(Page);
    }
}

public sealed class HomePage(IPage page) : AppPage(page)
{
    public static async Task<HomePage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/");
        return new HomePage(page);
    }

    public async Task<DashboardPage> OpenDistrictAsync(string name)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync(name);
        await CheckAccessibilityAsync();
        return new DashboardPage(Page);
    }
}

public sealed class DashboardPage(IPage page) : AppPage(page)
{
    public static async Task<DashboardPage> OpenAsync(IPage page, string cycleRoot)
    {
        await GotoAsync(page, cycleRoot);
        return new DashboardPage(page);
    }

    public ILocator DistrictNav => Page.GetByRole(AriaRole.Navigation, new() { Name = "District" });
}
