using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>Keeps the README's screenshots current: the rubric page and the monitoring meeting as the key leader sees them.</summary>
public sealed class ReadmeScreenshotTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    [Fact]
    public Task The_readme_screenshot_shows_the_rubric_as_the_key_leader_sees_it() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org", 1280, 960);
        var rubric = await RubricPage.OpenAsync(page, Demo.CycleRoot);
        await Expect(rubric.Heading).ToContainTextAsync("Isolation");
        await Expect(rubric.Row("vision").Level(2)).ToBeCheckedAsync();

        var file = Path.Combine(Paths.RepositoryRoot, "docs", "images", "rubric.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false, Animations = ScreenshotAnimations.Disabled });

        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes.Length > 20_000, "The screenshot is suspiciously small.");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Output.WriteLine($"Wrote {file} ({bytes.Length / 1024} KB)");
    });

    [Fact]
    public Task The_readme_screenshot_shows_the_monitoring_meeting_with_a_run_chart() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org", 1280, 1400);
        await AppPage.NavigateByAsync(page, () => page.GotoAsync($"{Demo.CycleRoot}/monitoring"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Monitoring meeting");
        await Expect(page.Locator(".meeting-measure svg.run-chart").First).ToBeVisibleAsync();

        var file = Path.Combine(Paths.RepositoryRoot, "docs", "images", "monitoring-meeting.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false, Animations = ScreenshotAnimations.Disabled });

        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes.Length > 20_000, "The screenshot is suspiciously small.");
        Output.WriteLine($"Wrote {file} ({bytes.Length / 1024} KB)");
    });

    [Fact]
    public Task The_readme_screenshots_show_the_evaluation_and_the_board_reports_first_page() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("leader@example.org", 1280, 1100);
        // Last year's evaluation, decided: its decisions seeded this year's plan.
        await AppPage.NavigateByAsync(page, () => page.GotoAsync($"/districts/{Demo.Lakeshore}/cycles/{Demo.LastCycle}/evaluation"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("evaluation");
        var evaluation = Path.Combine(Paths.RepositoryRoot, "docs", "images", "year-end-evaluation.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = evaluation, FullPage = false, Animations = ScreenshotAnimations.Disabled });

        // The board report's first page as it prints: the print view at the width of a letter page.
        await page.SetViewportSizeAsync(816, 1056);
        await AppPage.NavigateByAsync(page, () => page.GotoAsync($"{Demo.CycleRoot}/board-report"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToContainTextAsync("The year's goals");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        var board = Path.Combine(Paths.RepositoryRoot, "docs", "images", "board-report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = board, FullPage = false, Animations = ScreenshotAnimations.Disabled });

        foreach (var file in new[] { evaluation, board })
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 20_000, $"The screenshot {file} is suspiciously small.");
            Output.WriteLine($"Wrote {file} ({bytes.Length / 1024} KB)");
        }
    });
}
