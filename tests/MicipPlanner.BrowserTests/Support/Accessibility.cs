using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>axe-core scans for WCAG 2.0 and 2.1, levels A and AA. Zero violations is the bar; no rule is excluded.</summary>
public static class Accessibility
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public static async Task AssertNoViolationsAsync(IPage page, string? state = null)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        });
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

    private static string Summary(AxeResultNode node) =>
        string.Join(" ", (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Distinct());

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";
}

public sealed class AccessibilityException(string message) : Exception(message);
