using MicipPlanner.BrowserTests.Pages;
using MicipPlanner.BrowserTests.Support;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MicipPlanner.BrowserTests;

/// <summary>
/// Journeys of issue 16: a facilitator reviews a template from the desk's queue; a Lakeshore member reads the network's
/// benchmarks and a shared note; every new page passes axe.
/// </summary>
public sealed class NetworkJourneyTests(BrowserFixture browser, MicipApp app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    private const string NetworkName = "Great Lakes Collaboration Network";

    private Task<int> NetworkIdAsync() => App.WithDbAsync(db => db.Networks.Where(n => n.Name == NetworkName).Select(n => n.Id).SingleAsync());

    [Fact]
    public Task A_facilitator_returns_and_accepts_templates_from_the_desk_queue() => RunAsync(async () =>
    {
        // Two submitted templates of their own (new buildings), so the demo's stay as they are.
        var toolkit = Domain.Toolkits.ToolkitCatalog.LoadEmbedded().Default;
        foreach (var (name, code) in new[] { ("Bayside Academy", "01881"), ("Lighthouse Elementary", "01882") })
        {
            await App.WithDbAsync(async db =>
            {
                var building = new Building { DistrictId = Demo.Lakeshore, Name = name, Code = code, Grades = "K-5" };
                db.Buildings.Add(building);
                await db.SaveChangesAsync();
                var template = new BalanceTemplate
                {
                    DistrictId = Demo.Lakeshore, CycleId = Demo.Cycle, BuildingId = building.Id, State = TemplateState.Submitted,
                    CreatedAt = DateTimeOffset.UtcNow.AddDays(-3), UpdatedAt = DateTimeOffset.UtcNow.AddDays(-3), SubmittedAt = DateTimeOffset.UtcNow.AddDays(-3),
                };
                foreach (var slot in TemplateWorkflow.BuildingSlots(toolkit.Balance))
                    template.Items.Add(new BalanceTemplateItem { DistrictId = Demo.Lakeshore, RowNumber = slot.RowNumber, Function = slot.Function, Status = FunctionStatus.InPlace });
                db.BalanceTemplates.Add(template);
                await db.SaveChangesAsync();
                return 0;
            });
        }

        var page = await NewPageAsync();
        await (await SignInPage.OpenAsync(page)).SignInAsync("facilitator@example.org", DemoPassword);
        // The facilitator's home is the desk.
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Facilitator's desk");
        await Accessibility.AssertNoViolationsAsync(page, "desk");
        var queue = page.Locator("#queue");
        var bayside = queue.Locator("tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "Bayside Academy" }) });
        await Expect(bayside).ToContainTextAsync("Lakeshore Public Schools");
        await Expect(bayside).ToContainTextAsync("3 days");

        // Return one with a comment (the comment field opens with the button, by keyboard too).
        await bayside.GetByText("Return…").ClickAsync();
        await bayside.GetByLabel("What should Bayside Academy change?").FillAsync("Please name an owner for each next action.");
        await Accessibility.AssertNoViolationsAsync(page, "return comment open");
        await AppPage.NavigateByAsync(page, () => bayside.GetByRole(AriaRole.Button, new() { Name = "Return with comment" }).ClickAsync());
        await Expect(page.Locator("main .alert-success[role=status]")).ToContainTextAsync("returned to the building");
        await Expect(queue.GetByRole(AriaRole.Rowheader, new() { Name = "Bayside Academy" })).ToHaveCountAsync(0);

        // Accept the other.
        var lighthouse = queue.Locator("tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "Lighthouse Elementary" }) });
        await AppPage.NavigateByAsync(page, () => lighthouse.GetByRole(AriaRole.Button, new() { Name = "Accept the template of Lighthouse Elementary" }).ClickAsync());
        await Expect(page.Locator("main .alert-success[role=status]")).ToContainTextAsync("accepted");
        await Accessibility.AssertNoViolationsAsync(page, "desk after review");

        var states = await App.WithDbAsync(db => db.BalanceTemplates.Where(t => t.CycleId == Demo.Cycle && t.BuildingId != null)
            .Join(db.Buildings, t => t.BuildingId, b => b.Id, (t, b) => new { b.Name, t.State }).ToDictionaryAsync(x => x.Name, x => x.State));
        Assert.Equal(TemplateState.Returned, states["Bayside Academy"]);
        Assert.Equal(TemplateState.Accepted, states["Lighthouse Elementary"]);
        Assert.Equal(TemplateState.Submitted, states["Harbor View Elementary"]);
    });

    [Fact]
    public Task A_Lakeshore_member_reads_the_network_benchmarks_and_a_shared_note() => RunAsync(async () =>
    {
        var page = await SignedInPageAsync("member@example.org");
        await AppPage.NavigateByAsync(page, () => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Networks" }).ClickAsync());
        await Accessibility.AssertNoViolationsAsync(page, "networks");
        await AppPage.NavigateByAsync(page, () => page.Locator("main").GetByRole(AriaRole.Link, new() { Name = NetworkName }).ClickAsync());
        await Expect(page.Locator("main h1")).ToHaveTextAsync(NetworkName);
        await Accessibility.AssertNoViolationsAsync(page, "network page");

        // Benchmarks, dated: a chart with a text alternative and its table; Lakeshore's own level last year is marked, and as
        // the only district at that level it shows as "fewer than 3"; every year has enough districts to be shown.
        var routines = page.Locator("section.benchmark-row", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "3. Collaborative routines" }) });
        await Expect(routines.Locator("svg[role=img]")).ToHaveCountAsync(1);
        await Expect(routines.Locator("table")).ToContainTextAsync("your district");
        await Expect(routines.Locator("table")).ToContainTextAsync("fewer than 3");
        // The level withheld with it holds 3 or more: it says "withheld", and the note under the table says why.
        await Expect(routines.Locator("table td", new() { HasText = "withheld" })).ToHaveCountAsync(1);
        await Expect(routines.Locator("p.small")).ToContainTextAsync("could otherwise be worked out from the total");
        await Expect(page.Locator("section[aria-labelledby=benchmarks-title]")).ToContainTextAsync("Figures as of");
        await Expect(routines.Locator("table")).Not.ToContainTextAsync("Not shown");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Pine Ridge");

        // The practice library, filtered to the row: Maple Valley's note on collaborative routines.
        await page.GetByLabel("Rubric row").SelectOptionAsync(new SelectOptionValue { Label = "3. Collaborative routines" });
        await AppPage.NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Show notes" }).ClickAsync());
        var library = page.Locator("#library");
        await Expect(library).ToContainTextAsync("a standing monthly meeting with rotating facilitator and note-taker roles");
        await Expect(library).ToContainTextAsync("Maple Valley Schools");
        await Expect(library).Not.ToContainTextAsync("We rewrote the CI team charter");
        await Accessibility.AssertNoViolationsAsync(page, "library filtered");
    });

    [Fact]
    public Task The_new_pages_have_no_accessibility_violations() => RunAsync(async () =>
    {
        var networkId = await NetworkIdAsync();
        var noteId = await App.WithDbAsync(async db =>
        {
            var note = new PracticeNote
            {
                DistrictId = Demo.Lakeshore, CycleId = Demo.LastCycle, RowKey = "goal-setting", Level = 2, Text = "A shared goal calendar with the principals.",
                ContactRole = "Assistant superintendent", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.PracticeNotes.Add(note);
            await db.SaveChangesAsync();
            return note.Id;
        });
        var pages = new (string Email, string[] Paths)[]
        {
            ("leader@example.org", ["/desk", "/networks", $"/networks/{networkId}", $"/districts/{Demo.Lakeshore}/practice-notes",
                $"/districts/{Demo.Lakeshore}/practice-notes/{noteId}/edit", $"/districts/{Demo.Lakeshore}/edit"]),
            ("admin@example.org", ["/desk", "/desk?sort=name", "/networks", "/networks/new", $"/networks/{networkId}", $"/networks/{networkId}/edit"]),
            ("facilitator@example.org", ["/", $"/networks/{networkId}?row=routines&level=3", $"/districts/{Demo.PineRidge}/practice-notes"]),
        };
        var failures = new List<string>();
        foreach (var (email, paths) in pages)
        {
            var page = await SignedInPageAsync(email);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                if (response?.Status != 200) { failures.Add($"{email} GET {path} answered {response?.Status}"); continue; }
                try { await Accessibility.AssertNoViolationsAsync(page); }
                catch (AccessibilityException e) { failures.Add($"{email} {path}: {e.Message}"); }
            }
        }

        // A refused note shows its error next to the field, announced.
        var leader = await SignedInPageAsync("leader@example.org");
        await leader.GotoAsync($"/districts/{Demo.Lakeshore}/practice-notes");
        await AppPage.NavigateByAsync(leader, () => leader.GetByRole(AriaRole.Button, new() { Name = "Share with the network" }).ClickAsync());
        await Expect(leader.Locator("#Text-error")).ToContainTextAsync("Write what helped");
        await Expect(leader.Locator("#Text-error")).ToHaveAttributeAsync("role", "alert");
        try { await Accessibility.AssertNoViolationsAsync(leader, "note refused"); }
        catch (AccessibilityException e) { failures.Add(e.Message); }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    });
}
