using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace MicipPlanner.Infrastructure.Pdf;

/// <summary>Prints an HTML document (with its styles inlined) to a PDF.</summary>
public interface IPdfRenderer
{
    /// <summary>False when no browser was found: PDFs cannot be made, print views still work.</summary>
    bool IsAvailable { get; }

    /// <summary>The browser executable in use, or null.</summary>
    string? BrowserPath { get; }

    /// <summary>True once the browser process has been started and is still connected.</summary>
    bool IsRunning { get; }

    /// <exception cref="PdfUnavailableException">No browser is installed or configured.</exception>
    /// <exception cref="PdfTimeoutException">Printing took longer than the configured timeout.</exception>
    /// <exception cref="PdfBusyException">No printing slot became free in time.</exception>
    Task<byte[]> RenderAsync(string html, PdfPrintOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="RenderAsync(string, PdfPrintOptions, CancellationToken)"/>, but the HTML is only made once a
    /// printing slot is free, so requests waiting in the queue hold no large documents.
    /// </summary>
    Task<byte[]> RenderAsync(Func<CancellationToken, Task<string>> html, PdfPrintOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the HTML like a document to print and takes a PNG picture of every element <paramref name="selector"/> matches,
    /// in document order: how charts drawn as SVG become images for a Word document. Same queue, limits and exceptions as printing.
    /// </summary>
    Task<IReadOnlyList<byte[]>> CaptureAsync(Func<CancellationToken, Task<string>> html, string selector, CancellationToken cancellationToken = default);
}

public class PdfRenderException(string message, Exception? inner = null) : Exception(message, inner);
public sealed class PdfUnavailableException(string message) : PdfRenderException(message);
public sealed class PdfTimeoutException(string message) : PdfRenderException(message);
public sealed class PdfBusyException(string message) : PdfRenderException(message);

/// <summary>
/// Prints with Chromium through Playwright. One browser process is kept open (and started again
/// if it dies); at most <see cref="PdfOptions.EffectiveConcurrency"/> documents print at once and
/// the others wait in a queue. Pages run with JavaScript off and every network request they make
/// is aborted, so a document can only show what is inlined in it.
/// </summary>
public sealed class ChromiumPdfRenderer : IPdfRenderer, IAsyncDisposable
{
    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
        // Second line of defence under the page's request interception: no name or address resolves,
        // so not even a speculative pre-connection leaves the browser.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--dns-prefetch-disable",
    ];

    private readonly PdfOptions _options;
    private readonly ILogger<ChromiumPdfRenderer> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly ConcurrentBag<(IPage Page, int Generation)> _idlePages = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    private int _generation;
    private bool _disposed;

    public ChromiumPdfRenderer(IOptions<PdfOptions> options, ILogger<ChromiumPdfRenderer> logger)
    {
        _options = options.Value;
        _logger = logger;
        BrowserPath = BrowserLocator.Find(_options.BrowserPath);
        _slots = new SemaphoreSlim(_options.EffectiveConcurrency, _options.EffectiveConcurrency);
        if (BrowserPath is null)
            _logger.LogWarning("No Chromium, Chrome or Edge browser found{Configured}; PDF downloads are unavailable, print views still work.",
                string.IsNullOrWhiteSpace(_options.BrowserPath) ? "" : $" at the configured Pdf:BrowserPath '{_options.BrowserPath}'");
    }

    public string? BrowserPath { get; }
    public bool IsAvailable => BrowserPath is not null;
    public bool IsRunning => _browser?.IsConnected == true;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds));

    public Task<byte[]> RenderAsync(string html, PdfPrintOptions options, CancellationToken cancellationToken = default) =>
        RenderAsync(_ => Task.FromResult(html), options, cancellationToken);

    public Task<byte[]> RenderAsync(Func<CancellationToken, Task<string>> makeHtml, PdfPrintOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(makeHtml, (page, html) => PrintAsync(page, html, options), "a PDF", cancellationToken);

    public Task<IReadOnlyList<byte[]>> CaptureAsync(Func<CancellationToken, Task<string>> makeHtml, string selector, CancellationToken cancellationToken = default) =>
        RunAsync(makeHtml, (page, html) => PictureAsync(page, html, selector), "pictures", cancellationToken);

    /// <summary>One job on a pooled page: wait for a slot, load the HTML, do the work within the timeout, once more if the browser died.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<string>> makeHtml, Func<IPage, string, Task<T>> work, string what,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (BrowserPath is null) throw new PdfUnavailableException("No browser to print PDFs with is installed.");
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, _options.QueueTimeoutSeconds)), cancellationToken))
            throw new PdfBusyException("Too many PDFs are being printed right now; no slot became free in time.");
        try
        {
            var html = await makeHtml(cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                var (context, generation) = await EnsureBrowserAsync(cancellationToken);
                var page = TakeIdlePage(generation) ?? await context.NewPageAsync();
                var healthy = false;
                Task<T>? printing = null;
                try
                {
                    printing = work(page, html);
                    var made = await printing.WaitAsync(Timeout, cancellationToken);
                    healthy = true;
                    _logger.LogDebug("Made {What} in {Ms} ms", what, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return made;
                }
                catch (TimeoutException)
                {
                    // The abandoned print fails once its page is closed below; observe that failure.
                    _ = printing?.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    _logger.LogWarning("Making {What} took longer than {Seconds} s and was abandoned.", what, Timeout.TotalSeconds);
                    throw new PdfTimeoutException($"Making {what} took longer than {Timeout.TotalSeconds:0} seconds.");
                }
                catch (PlaywrightException ex) when (attempt == 1)
                {
                    // The browser (or its page) died under us: start a new one and print again once.
                    _logger.LogWarning(ex, "The PDF browser stopped while printing; starting it again.");
                    await ResetAsync(generation);
                }
                finally
                {
                    if (healthy) _idlePages.Add((page, generation));
                    else _ = ClosePageQuietlyAsync(page);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<byte[]> PrintAsync(IPage page, string html, PdfPrintOptions options)
    {
        var ms = (float)Timeout.TotalMilliseconds;
        await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load, Timeout = ms });
        var pdf = await page.PdfAsync(new PagePdfOptions
        {
            Format = "Letter",
            Landscape = options.Landscape,
            PrintBackground = true,
            PreferCSSPageSize = true,
            Tagged = true,
            Outline = true,
        });
        // An idle page in the pool should not keep a hundred-page document alive.
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><title>idle</title></html>", new PageSetContentOptions { Timeout = ms });
        return pdf;
    }

    private async Task<IReadOnlyList<byte[]>> PictureAsync(IPage page, string html, string selector)
    {
        var ms = (float)Timeout.TotalMilliseconds;
        await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load, Timeout = ms });
        var pictures = new List<byte[]>();
        foreach (var element in await page.QuerySelectorAllAsync(selector))
            pictures.Add(await element.ScreenshotAsync(new ElementHandleScreenshotOptions { Type = ScreenshotType.Png, Timeout = ms }));
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><title>idle</title></html>", new PageSetContentOptions { Timeout = ms });
        return pictures;
    }

    private IPage? TakeIdlePage(int generation)
    {
        while (_idlePages.TryTake(out var idle))
        {
            if (idle.Generation == generation && !idle.Page.IsClosed) return idle.Page;
            _ = ClosePageQuietlyAsync(idle.Page);
        }
        return null;
    }

    private async Task<(IBrowserContext Context, int Generation)> EnsureBrowserAsync(CancellationToken cancellationToken)
    {
        if (_browser is { IsConnected: true } && _context is { } ready) return (ready, _generation);
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_browser is { IsConnected: true } && _context is { } raced) return (raced, _generation);
            if (_browser is not null) await ResetCoreAsync();
            var started = Stopwatch.GetTimestamp();
            _playwright ??= await Playwright.CreateAsync();
            var startTimeout = TimeSpan.FromSeconds(Math.Max(1, _options.StartTimeoutSeconds));
            IBrowser browser;
            try
            {
                browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = BrowserPath,
                    Headless = true,
                    Args = LaunchArgs,
                    Timeout = (float)startTimeout.TotalMilliseconds,
                });
            }
            catch (TimeoutException)
            {
                _logger.LogError("The PDF browser {Path} did not start within {Seconds} s.", BrowserPath, startTimeout.TotalSeconds);
                throw new PdfTimeoutException($"The browser that prints PDFs did not start within {startTimeout.TotalSeconds:0} seconds.");
            }
            var generation = ++_generation;
            browser.Disconnected += (_, _) =>
            {
                if (!_disposed) _logger.LogWarning("The PDF browser process exited; it starts again on the next PDF.");
            };
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                JavaScriptEnabled = false,
                ServiceWorkers = ServiceWorkerPolicy.Block,
                AcceptDownloads = false,
            });
            // Nothing leaves the page: no images, fonts, styles or frames from any address (no SSRF).
            await context.RouteAsync("**/*", route => route.AbortAsync("blockedbyclient"));
            _browser = browser;
            _context = context;
            _logger.LogInformation("Started the PDF browser {Path} in {Ms:0} ms", BrowserPath, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return (context, generation);
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task ResetAsync(int generation)
    {
        await _startLock.WaitAsync();
        try
        {
            if (generation == _generation) await ResetCoreAsync();
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task ResetCoreAsync()
    {
        var browser = _browser;
        _browser = null;
        _context = null;
        while (_idlePages.TryTake(out _)) { }
        if (browser is not null)
        {
            try { await browser.CloseAsync(); } catch (PlaywrightException) { } catch (ObjectDisposedException) { }
        }
    }

    private static async Task ClosePageQuietlyAsync(IPage page)
    {
        try { await page.CloseAsync(); } catch (PlaywrightException) { } catch (ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await ResetCoreAsync();
        _playwright?.Dispose();
        _playwright = null;
    }
}
