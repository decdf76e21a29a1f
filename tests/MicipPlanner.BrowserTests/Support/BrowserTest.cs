using System.Runtime.CompilerServices;
using MicipPlanner.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>
/// Base of the browser tests: opens browser contexts (one per person) on the shared Chromium against this
/// class's app, and on a failure saves a screenshot and the HTML of every open page.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : IClassFixture<MicipApp>, IAsyncLifetime
{
    public const string DemoPassword = "Demo-Pass-2026!";

    private readonly List<IBrowserContext> contexts = [];

    protected MicipApp App { get; } = app;
    protected DemoIds Demo => App.Demo;
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>A new browser context (its own cookies) and page; desktop size unless told.</summary>
    protected async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string? storageState = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            StorageState = storageState,
        });
        context.SetDefaultTimeout(20_000);
        contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as a demo account (through the sign-in form the first time, then from saved cookies).</summary>
    protected async Task<IPage> SignedInPageAsync(string email, int width = 1280, int height = 900)
    {
        if (App.StorageStates.TryGetValue(email, out var state))
            return await NewPageAsync(width, height, state);
        var page = await NewPageAsync(width, height);
        var signIn = await SignInPage.OpenAsync(page);
        await signIn.SignInAsync(email, DemoPassword);
        App.StorageStates[email] = await page.Context.StorageStateAsync();
        return page;
    }

    /// <summary>Runs a test body; when it fails, keeps a screenshot and the HTML of every open page for the investigation.</summary>
    protected async Task RunAsync(Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch (Exception failure)
        {
            await SaveEvidenceAsync($"{GetType().Name}.{test}");
            throw new Xunit.Sdk.XunitException(failure.Message + "\n(screenshots and HTML: " + Paths.FailureFolder + ")\n" + failure);
        }
    }

    private async Task SaveEvidenceAsync(string name)
    {
        Directory.CreateDirectory(Paths.FailureFolder);
        var n = 0;
        foreach (var page in contexts.SelectMany(c => c.Pages).Where(p => !p.IsClosed))
        {
            n++;
            var file = Path.Combine(Paths.FailureFolder, $"{name}-{n}");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file + ".png", FullPage = true, Timeout = 10_000 });
                await File.WriteAllTextAsync(file + ".html", $"<!-- {page.Url} -->\n" + await page.ContentAsync());
                Output.WriteLine($"Saved {file}.png and {file}.html ({page.Url})");
            }
            catch (PlaywrightException e)
            {
                Output.WriteLine($"Could not save the page {page.Url}: {e.Message}");
            }
        }
    }

    private (long Scans, long Milliseconds) scansAtStart;

    public Task InitializeAsync()
    {
        scansAtStart = Accessibility.Totals;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        var totals = Accessibility.Totals;
        Output.WriteLine($"axe: {totals.Scans - scansAtStart.Scans} scan(s), {totals.Milliseconds - scansAtStart.Milliseconds} ms");
        foreach (var context in contexts) await context.CloseAsync();
    }
}
