using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>axe-core scans for WCAG 2.0 and 2.1, levels A and AA. Zero violations is the bar; no rule is excluded.</summary>
public static class Accessibility
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static long scans, scanMilliseconds;

    /// <summary>How many scans ran and how long they took in total (for keeping the suite quick).</summary>
    public static (long Scans, long Milliseconds) Totals => (Interlocked.Read(ref scans), Interlocked.Read(ref scanMilliseconds));

    public static async Task AssertNoViolationsAsync(IPage page, string? state = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
            // Details of violations only: passes are counted, not described, which keeps each scan quick.
            ResultTypes = [ResultType.Violations],
        });
        Interlocked.Increment(ref scans);
        Interlocked.Add(ref scanMilliseconds, watch.ElapsedMilliseconds);
        if (result.Violations.Length == 0) return;
        var report = new StringBuilder($"axe found {result.Violations.Length} WCAG violation(s) on {page.Url}{(state is null ? "" : " (" + state + ")")}:");
        foreach (var violation in result.Violations)
        {
            report.Append($"\n- {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
                report.Append($"\n    at {string.Join(" ", node.Target)}: {Shorten(node.Html)}\n      {Summary(node)}");
            if (violation.Nodes.Length > 5) report.Append($"\n    … and {violation.Nodes.Length - 5} more");
        }
        throw new AccessibilityException(report.ToString());
    }

    private static readonly HashSet<string> Scanned = [];

    /// <summary>
    /// Scans a page reached by navigation unless the same screen (path with ids generalised, query, account,
    /// viewport width) was already scanned in this run; states after an action are scanned with
    /// <see cref="AssertNoViolationsAsync"/> every time.
    /// </summary>
    public static async Task AssertScreenHasNoViolationsAsync(IPage page)
    {
        var uri = new Uri(page.Url);
        var account = string.Join("", await page.Locator("nav .navbar-text").AllTextContentsAsync());
        var key = $"{page.ViewportSize?.Width}|{account}|{System.Text.RegularExpressions.Regex.Replace(uri.AbsolutePath + uri.Query, "[0-9]+", "#")}";
        lock (Scanned)
            if (!Scanned.Add(key)) return;
        await AssertNoViolationsAsync(page);
    }

    private static string Summary(AxeResultNode node) =>
        string.Join(" ", (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Distinct());

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";
}

public sealed class AccessibilityException(string message) : Exception(message);
