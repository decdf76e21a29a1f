using Microsoft.Playwright;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>
/// One headless Chromium for the whole test run: the operating system's browser (never a download),
/// found at MICIP_BROWSER_PATH, else the usual places.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string PathVariable = "MICIP_BROWSER_PATH";

    private static readonly string[] UsualPlaces =
    [
        "/usr/lib/chromium/chromium",
        "/usr/lib/chromium-browser/chromium-browser",
        "/usr/bin/chromium",
        "/usr/bin/google-chrome",
        "/opt/google/chrome/chrome",
    ];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
                throw new InvalidOperationException($"{PathVariable} points to {configured}, which does not exist.");
            return configured;
        }
        return UsualPlaces.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"No Chromium found (looked in {string.Join(", ", UsualPlaces)}). Install it (./scripts/setup.sh) or set {PathVariable}.");
    }

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
    }
}

/// <summary>Every browser test shares one Chromium and runs one at a time (the app and the browser share two cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
