using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Workshop mode: a facilitator starts a workshop, three people join from phones in two groups and rate, the presenter's
/// heat map follows without a reload, the presenter view is used by keyboard, and ending it closes the participants' pages.
/// </summary>
public sealed class WorkshopJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    private const int PhoneWidth = 390, PhoneHeight = 844;

    [Fact]
    public Task A_workshop_runs_from_start_to_end_with_phones_and_a_projector() => RunAsync(async () =>
    {
        var facilitator = await SignedInPageAsync("facilitator@example.org", 1280, 900);
        await facilitator.GotoAsync($"{Demo.CycleRoot}/workshops/new");
        await Accessibility.AssertNoViolationsAsync(facilitator, "start a workshop");
        foreach (var box in await facilitator.Locator("input[name=GroupIds]").AllAsync()) await box.UncheckAsync();
        await facilitator.GetByLabel("New groups for this workshop, one name per line").FillAsync("Window tables\nDoor tables");
        await facilitator.GetByLabel("Let participants pick their group").CheckAsync();
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = "Start the workshop" }).ClickAsync());
        await Accessibility.AssertNoViolationsAsync(facilitator, "presenter view, people arriving");
        var code = (await facilitator.Locator(".presenter-code").InnerTextAsync()).Replace("Workshop code", "").Trim().Replace("-", "");
        Assert.Matches("^[A-Z0-9]{6}$", code);

        // Three people join on phones: the QR link carries the code after #, so they only type a name.
        var phones = new List<IPage>();
        foreach (var (name, group) in new[] { ("Ana", "Window tables"), ("Ben", "Window tables"), ("Cleo", "Door tables") })
        {
            var phone = await NewPageAsync(PhoneWidth, PhoneHeight);
            await phone.GotoAsync($"/join#{code}");
            await Expect(phone.GetByLabel("Workshop code")).ToHaveValueAsync(code);
            if (phones.Count == 0) await Accessibility.AssertNoViolationsAsync(phone, "join page");
            await phone.GetByLabel("Your name").FillAsync(name);
            await AppPage.NavigateByAsync(phone, () => phone.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync());
            await phone.GetByLabel(group).CheckAsync();
            await AppPage.NavigateByAsync(phone, () => phone.GetByRole(AriaRole.Button, new() { Name = "Join this group" }).ClickAsync());
            await Expect(phone.Locator("h1")).ToContainTextAsync($"Welcome, {name}");
            if (phones.Count == 0) await Accessibility.AssertNoViolationsAsync(phone, "participant waiting");
            phones.Add(phone);
        }

        // The facilitator opens Activity 2; the phones follow by themselves.
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = "Open Activity 2" }).ClickAsync());
        await Expect(facilitator.Locator("#participant-count")).ToHaveTextAsync("3");
        foreach (var phone in phones) await Expect(phone.Locator("h1")).ToContainTextAsync("rate the rubric", new() { Timeout = 20_000 });
        await Accessibility.AssertNoViolationsAsync(phones[0], "participant rating");
        var width = await phones[0].EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        Assert.True(width[0] <= width[1], $"The participant page scrolls sideways on a phone: {width[0]}px in {width[1]}px.");

        // Two groups rate the first row four levels apart; the heat map fills in and flags it without a reload.
        await facilitator.EvaluateAsync("() => { window.__micipMarker = 'not reloaded'; }");
        var bensRequests = 0;
        phones[1].Request += (_, request) => { if (request.Url.Contains("/join/workshop/poll", StringComparison.Ordinal)) Interlocked.Increment(ref bensRequests); };
        // Once the projector's connection is up and its catch-up request answered, it has nothing more to ask.
        await facilitator.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var presenterAsks = 0;
        facilitator.Request += (_, request) => { if (request.Url.Contains("/state?", StringComparison.Ordinal)) Interlocked.Increment(ref presenterAsks); };
        await phones[0].Locator("label[for='row-vision-level-4']").ClickAsync();
        await phones[2].Locator("label[for='row-vision-level-1']").ClickAsync();
        await phones[2].Locator("#row-vision-evidence").FillAsync("Every school has its own vision");
        foreach (var phone in new[] { phones[0], phones[2] })
            await Expect(phone.Locator("#row-vision .save-status")).ToContainTextAsync("Saved at", new() { Timeout = 20_000 });
        // Ben shares Ana's group: her level appears on his phone without a reload, pushed whole (his page asks for nothing).
        await Expect(phones[1].Locator("#row-vision-level-4")).ToBeCheckedAsync(new() { Timeout = 20_000 });
        Assert.Equal(0, Volatile.Read(ref bensRequests));

        await Expect(facilitator.Locator("[data-heat='vision-4'] .heat-count")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await Expect(facilitator.Locator("[data-heat='vision-1'] .heat-count")).ToHaveTextAsync("1");
        await Expect(facilitator.Locator("[data-flag='vision']")).ToBeVisibleAsync();
        // The heat map's rows came whole with the ratings: the presenter view asked for nothing.
        Assert.Equal(0, Volatile.Read(ref presenterAsks));
        Assert.Equal("not reloaded", await facilitator.EvaluateAsync<string?>("() => window.__micipMarker ?? null"));
        await Accessibility.AssertNoViolationsAsync(facilitator, "presenter view, Activity 2 heat map");

        // The README's picture of the presenter view, as the room sees it now.
        var file = Path.Combine(Paths.RepositoryRoot, "docs", "images", "workshop-presenter.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await facilitator.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(file).Length > 20_000, "The screenshot is suspiciously small.");

        // By keyboard alone: Tab to the timer's start button and press Enter.
        var reached = false;
        for (var i = 0; i < 80 && !reached; i++)
        {
            await facilitator.Keyboard.PressAsync("Tab");
            reached = await facilitator.EvaluateAsync<bool>("() => document.activeElement && document.activeElement.textContent.trim() === 'Start timer'");
        }
        Assert.True(reached, "The timer's start button cannot be reached with Tab.");
        await AppPage.NavigateByAsync(facilitator, () => facilitator.Keyboard.PressAsync("Enter"));
        await Expect(facilitator.Locator("#timer")).ToHaveAttributeAsync("data-running", "true");
        await Expect(facilitator.GetByRole(AriaRole.Button, new() { Name = "Pause timer" })).ToBeVisibleAsync();

        // Ending: a confirmation, then the summary; the phones say the workshop has ended.
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Link, new() { Name = "End the workshop" }).ClickAsync());
        await Accessibility.AssertNoViolationsAsync(facilitator, "end confirmation");
        await AppPage.NavigateByAsync(facilitator, () => facilitator.GetByRole(AriaRole.Button, new() { Name = "Yes, end the workshop" }).ClickAsync());
        await Expect(facilitator.Locator("h1")).ToContainTextAsync("summary");
        await Expect(facilitator.Locator("main")).ToContainTextAsync("Cleo");
        await Accessibility.AssertNoViolationsAsync(facilitator, "workshop summary");
        foreach (var phone in phones) await Expect(phone.Locator("h1")).ToHaveTextAsync("This workshop has ended", new() { Timeout = 20_000 });
        await Accessibility.AssertNoViolationsAsync(phones[0], "workshop ended");

        var stored = await App.WithDbAsync(db => db.RubricRatings.Where(r => r.RowKey == "vision" && r.Evidence == "Every school has its own vision")
            .Select(r => db.Users.Where(u => u.Id == r.UpdatedByUserId).Select(u => u.DisplayName).First()).SingleAsync());
        Assert.Equal("Cleo", stored);
    });
}
