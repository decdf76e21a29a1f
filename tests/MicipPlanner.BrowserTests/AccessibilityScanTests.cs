using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Every GET page reachable for the demo key leader and a building member (and the anonymous pages),
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
    });

    private async Task ScanAllAsync(IPage page, IEnumerable<string> paths)
    {
        var failures = new List<string>();
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            if (response?.Status != 200) { failures.Add($"GET {path} answered {response?.Status}"); continue; }
            try { await Accessibility.AssertNoViolationsAsync(page); }
            catch (AccessibilityException e) { failures.Add(e.Message); }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
