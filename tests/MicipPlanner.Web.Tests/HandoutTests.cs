using System.Net;
using System.Net.Sockets;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Pdf;
using MicipPlanner.Web.Features.Handouts;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

/// <summary>One app (and so one PDF browser) shared by every PDF test class.</summary>
[CollectionDefinition(Name)]
public sealed class PdfCollection : ICollectionFixture<MicipWebFactory>
{
    public const string Name = "PDF rendering";
}

[Collection(PdfCollection.Name)]
public sealed class HandoutTests(MicipWebFactory factory)
{
    private static readonly ToolkitDefinition Toolkit = ToolkitCatalog.LoadEmbedded().Default;

    private async Task<byte[]> GetPdfAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static TheoryData<string, bool> BlankHandouts => new()
    {
        { "facilitator-guide", false }, { "handout-1", false }, { "handout-2", true },
        { "handout-3", true }, { "building-template", true }, { "district-template", true },
    };

    /// <summary>The texts each blank handout must show, in reading order.</summary>
    private static IEnumerable<string> KeyTexts(string name) => name switch
    {
        "facilitator-guide" => new[] { "Facilitator Guide", "Agenda" }
            .Concat(Toolkit.Facilitator.Agenda.SelectMany(a => new[] { a.Part, a.Time }).Where(t => t.Length > 0))
            .Append("Materials to print").Concat(Toolkit.LearnerOutcomes).Concat(Toolkit.Facilitator.Mindset)
            .Concat(Toolkit.Facilitator.OptionalReading.Select(r => r.Title)),
        "handout-1" => new[] { Toolkit.Introduction }.Concat(Toolkit.LearnerOutcomes).Append(Toolkit.Importance.Heading)
            .Concat(Toolkit.Importance.Paragraphs).Concat(Toolkit.Importance.UnintendedConsequences.Select(c => c.Text))
            .Append("Activity 1").Concat(Toolkit.FindActivity(1)!.Steps),
        "handout-2" => new[] { Toolkit.Rubric.Instructions }.Concat(Toolkit.Rubric.Levels.Select(l => l.FullName))
            .Concat(Toolkit.Rubric.Rows.SelectMany(r => r.Descriptors.Prepend(r.Label)))
            .Concat(Toolkit.Rubric.DiscussionQuestions.Select(q => q.Text)),
        "handout-3" => Toolkit.Balance.Questions.Select(q => q.Text).Append("Building Team Functions")
            .Concat(Toolkit.Balance.Rows.SelectMany(r => new[] { r.BuildingFunction, r.CollaborativeFunction }.Concat(r.CollaborativeBullets).Append(r.DistrictFunction)).Where(t => t.Length > 0))
            .Append(Toolkit.Balance.ClosingStatement),
        "building-template" => new[] { "Building:", "Function", "Status", "Evidence", "Next action", "Owner", "Target date" }
            .Concat(Toolkit.Balance.Rows.SelectMany(r => new[] { r.BuildingFunction.Length > 0 ? r.BuildingFunction : r.CollaborativeFunction, "In place", "Needs strengthening", "Needs to be created" })),
        "district-template" => new[] { "District:", "Next action" }
            .Concat(Toolkit.Balance.Rows.SelectMany(r => new[] { r.DistrictFunction, r.CollaborativeFunction }).Where(t => t.Length > 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(BlankHandouts))]
    public async Task Blank_handout_is_a_tagged_letter_pdf_with_its_texts_in_order_and_page_numbers(string name, bool landscape)
    {
        var anonymous = factory.CreateBrowserClient();
        using var pdf = new PdfText(await GetPdfAsync(anonymous, $"/handouts/{name}.pdf"));

        Assert.True(pdf.IsTagged, "The PDF is not tagged.");
        foreach (var page in pdf.Document.GetPages())
        {
            var (width, height) = landscape ? (792, 612) : (612, 792);
            Assert.Equal(width, page.Width, 0.5);
            Assert.Equal(height, page.Height, 0.5);
        }
        pdf.AssertInOrder(KeyTexts(name));
        var count = pdf.Pages.Count;
        Assert.Contains($"Page{count}of{count}", pdf.Pages[^1]);
        Assert.Contains("MichiganContinuousSystemsImprovementteam,MichiganDepartmentofEducation", pdf.Pages[0]);
        Assert.All(pdf.Pages, p => Assert.Contains("MichiganDepartmentofEducation", p));

        // Body text (everything between the page margins) is at least 10 pt.
        foreach (var page in pdf.Document.GetPages())
        {
            var body = page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value) && l.Location.Y > 0.56 * 72 && l.Location.Y < page.Height - 0.62 * 72).ToList();
            var small = body.Where(l => l.PointSize < 9.9).Select(l => l.Value).ToList();
            Assert.True(small.Count == 0, $"Page {page.Number} has text under 10 pt: {string.Concat(small.Take(60))}");
        }
    }

    [Fact]
    public async Task Handout_2_lists_all_24_descriptors_row_by_row_and_handout_3_all_7_balance_rows()
    {
        var anonymous = factory.CreateBrowserClient();
        using var rubric = new PdfText(await GetPdfAsync(anonymous, "/handouts/handout-2.pdf"));
        var descriptors = Toolkit.Rubric.Rows.SelectMany(r => r.Descriptors).ToList();
        Assert.Equal(24, descriptors.Count);
        rubric.AssertInOrder(descriptors);

        using var balance = new PdfText(await GetPdfAsync(anonymous, "/handouts/handout-3.pdf"));
        Assert.Equal(7, Toolkit.Balance.Rows.Count);
        balance.AssertInOrder(Toolkit.Balance.Rows.Select(r => r.CollaborativeFunction));
    }

    [Fact]
    public async Task Print_views_and_list_need_no_account()
    {
        var anonymous = factory.CreateBrowserClient();
        var list = await anonymous.GetHtmlAsync("/handouts");
        var links = Html.Parse(list).Hrefs();
        foreach (var h in HandoutCatalog.All)
        {
            Assert.Contains($"/handouts/{h.Name}", links);
            Assert.Contains($"/handouts/{h.Name}.pdf", links);
            var view = await anonymous.GetHtmlAsync($"/handouts/{h.Name}");
            Assert.Contains(h.Title, view);
            Assert.Contains($"/handouts/{h.Name}.pdf", view);
        }
        Assert.Contains("/handouts", Html.Parse(await anonymous.GetHtmlAsync("/account/sign-in")).Hrefs());
        Assert.Contains("/handouts", Html.Parse(await (await factory.SignedInAsync("admin@example.org")).GetHtmlAsync("/")).Hrefs());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/handouts/no-such-handout")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/handouts/no-such-handout.pdf")).StatusCode);
    }

    /// <summary>A fresh Lakeshore cycle with a consensus on every row, group evidence and discussion notes.</summary>
    private async Task<(int District, int Cycle)> RatedCycleAsync(string groupEvidence)
    {
        var ids = await DemoIds.LoadAsync(factory);
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<MicipPlanner.Infrastructure.Data.AppDbContext>();
        var cycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
        var group = await db.RatingGroups.Where(g => g.CycleId == cycle.Id).SingleAsync();
        var leader = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
        var rows = Toolkit.Rubric.Rows;
        for (var i = 0; i < rows.Count; i++)
        {
            var level = i % 4 + 1;
            db.RubricRatings.Add(new RubricRating
            {
                DistrictId = ids.Lakeshore, CycleId = cycle.Id, RatingGroupId = group.Id, RowKey = rows[i].Key, Level = level,
                Evidence = i == 0 ? groupEvidence : $"Evidence for {rows[i].Label}", UpdatedByUserId = leader, UpdatedAt = DateTimeOffset.UtcNow
            });
            db.ConsensusRatings.Add(new ConsensusRating
            {
                DistrictId = ids.Lakeshore, CycleId = cycle.Id, RowKey = rows[i].Key, Level = level,
                Rationale = $"Rationale {i + 1}: agreed after the gallery walk.", RecordedByUserId = leader, RecordedAt = DateTimeOffset.UtcNow
            });
        }
        db.DiscussionNotes.Add(new DiscussionNote
        {
            DistrictId = ids.Lakeshore, CycleId = cycle.Id, QuestionKey = "barriers",
            Text = "Schedules of the buildings do not line up.", UpdatedByUserId = leader, UpdatedAt = DateTimeOffset.UtcNow
        });
        await db.SaveChangesAsync();
        return (ids.Lakeshore, cycle.Id);
    }

    [Fact]
    public async Task Filled_handout_2_prints_the_district_evidence_and_marks_each_consensus_with_a_mark_and_the_word()
    {
        var (d, c) = await RatedCycleAsync("Board minutes of March show the vision is read at every meeting.");
        var leader = await factory.SignedInAsync("leader@example.org");
        using var pdf = new PdfText(await GetPdfAsync(leader, $"/districts/{d}/cycles/{c}/handouts/handout-2.pdf"));

        Assert.True(pdf.IsTagged);
        Assert.Contains(PdfText.Squeeze("Board minutes of March show the vision is read at every meeting."), pdf.All);
        Assert.Contains(PdfText.Squeeze("Schedules of the buildings do not line up."), pdf.All);
        Assert.Contains("LakeshorePublicSchools", pdf.Pages[^1]);
        var rows = Toolkit.Rubric.Rows;
        for (var i = 0; i < rows.Count; i++)
        {
            // The mark and the word sit in the consensus cell, right before that level's descriptor.
            var level = i % 4 + 1;
            Assert.Contains(PdfText.Squeeze("✔ Consensus " + rows[i].Descriptor(level)), pdf.All);
            Assert.Contains(PdfText.Squeeze($"Rationale {i + 1}: agreed after the gallery walk."), pdf.All);
        }
        Assert.Equal(rows.Count, CountOf(pdf.All, "✔Consensus"));

        var view = await leader.GetHtmlAsync($"/districts/{d}/cycles/{c}/handouts/handout-2");
        Assert.Equal(rows.Count, Html.Parse(view).QuerySelectorAll("td.descriptor.consensus").Length);
    }

    [Fact]
    public async Task Html_in_user_text_is_printed_as_text()
    {
        const string hostile = "<b>Bold claim</b> & <script>document.title='x'</script><img src=\"http://127.0.0.1:9/x.png\">";
        var (d, c) = await RatedCycleAsync(hostile);
        var leader = await factory.SignedInAsync("leader@example.org");
        using var pdf = new PdfText(await GetPdfAsync(leader, $"/districts/{d}/cycles/{c}/handouts/handout-2.pdf"));
        Assert.Contains(PdfText.Squeeze(hostile), pdf.All);
    }

    [Fact]
    public async Task Packet_has_a_cover_and_one_top_level_bookmark_per_handout_in_workshop_order()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        using var pdf = new PdfText(await GetPdfAsync(facilitator, $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/handouts/packet.pdf"));

        Assert.True(pdf.IsTagged);
        Assert.True(pdf.Document.TryGetBookmarks(out var bookmarks), "The packet has no bookmarks.");
        var titles = bookmarks.Roots.Select(b => b.Title.Trim()).ToList();
        Assert.Equal(HandoutCatalog.All.Count, titles.Count);
        for (var i = 0; i < titles.Count; i++) Assert.Equal(HandoutCatalog.All[i].Title, titles[i]);
        Assert.Contains("LakeshorePublicSchools", pdf.Pages[0]);
        Assert.Contains("FranFacilitator", pdf.Pages[0]);
        pdf.AssertInOrder(HandoutCatalog.All.Select(h => h.Title).Concat(HandoutCatalog.All.Select(h => h.Title)));
        // Every building's template is in the packet.
        pdf.AssertInOrder(["Dune Ridge Elementary", "Harbor View Elementary", "Lakeshore High School", "Lakeshore Middle School"]);
        Assert.Contains($"Page{pdf.Pages.Count}of{pdf.Pages.Count}", pdf.Pages[^1]);
        // Cover and facilitator guide print portrait, the wide tables landscape, in one file.
        var pages = pdf.Document.GetPages().ToList();
        Assert.Equal(612, pages[0].Width, 0.5);
        Assert.Equal(792, pages[^1].Width, 0.5);
        var rubricPages = Enumerable.Range(0, pages.Count).Where(i => pdf.Pages[i].Contains("Starthere,thenmoveleft", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rubricPages);
        Assert.All(rubricPages, i => Assert.Equal(792, pages[i].Width, 0.5));
    }

    [Fact]
    public async Task Building_member_gets_only_their_own_buildings_template()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var harbor = await factory.SignedInAsync("building1@example.org");
        var own = ids.LakeshoreBuildings[0];
        var other = ids.LakeshoreBuildings[1];

        var view = await harbor.GetHtmlAsync($"{root}/handouts/building-template?building={own}");
        Assert.Contains("Harbor View Elementary", view);
        Assert.DoesNotContain("Dune Ridge Elementary", view);
        using (var pdf = new PdfText(await GetPdfAsync(harbor, $"{root}/handouts/building-template.pdf?building={own}")))
            Assert.Contains("HarborViewElementary", pdf.All);

        Assert.Equal(HttpStatusCode.NotFound, (await harbor.GetAsync($"{root}/handouts/building-template?building={other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await harbor.GetAsync($"{root}/handouts/building-template.pdf?building={other}")).StatusCode);
        var pineRidgeBuilding = await factory.WithDbAsync(db => db.Buildings.Where(b => b.DistrictId == ids.PineRidge).Select(b => b.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await harbor.GetAsync($"{root}/handouts/building-template?building={pineRidgeBuilding}")).StatusCode);

        // Without ?building= a building member gets their own building only.
        var mine = await harbor.GetHtmlAsync($"{root}/handouts/building-template");
        Assert.Contains("Harbor View Elementary", mine);
        Assert.DoesNotContain("Dune Ridge Elementary", mine);

        // District-wide handouts, the packet and the report are not theirs.
        Assert.Equal(HttpStatusCode.Forbidden, (await harbor.GetAsync($"{root}/handouts/handout-2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await harbor.GetAsync($"{root}/handouts/packet.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await harbor.GetAsync($"{root}/report.pdf")).StatusCode);

        // Another district's handouts do not exist for them; anonymous visitors are sent to sign in.
        Assert.Equal(HttpStatusCode.NotFound, (await harbor.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}/handouts/handout-2.pdf")).StatusCode);
        var anonymous = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"{root}/handouts/handout-2.pdf")).StatusCode);
    }

    [Fact]
    public async Task Report_shows_heat_map_consensus_trend_rollup_and_open_actions()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var member = await factory.SignedInAsync("member@example.org");
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var view = await member.GetHtmlAsync($"{root}/report");
        Assert.Contains("heat-map", view);
        Assert.Contains("Group A", view);
        using var pdf = new PdfText(await GetPdfAsync(member, $"{root}/report.pdf"));
        pdf.AssertInOrder(["District Summary Report", "Rubric ratings by group", "Consensus per row", "Trend across cycles", "Building roll-up",
            "Open action items", "Draft a shared calendar of CI team meetings for all buildings"]);
        Assert.True(pdf.IsTagged);
    }

    [Fact]
    public async Task Cycle_handouts_page_links_every_filled_handout_packet_and_report()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var page = await leader.GetHtmlAsync($"{root}/handouts");
        foreach (var h in HandoutCatalog.All) Assert.Contains($"{root}/handouts/{h.Name}.pdf", page);
        Assert.Contains($"{root}/handouts/packet.pdf", page);
        Assert.Contains($"{root}/report.pdf", page);
        var dashboard = await leader.GetHtmlAsync(root);
        var links = Html.Parse(dashboard).Hrefs();
        Assert.Contains($"{root}/handouts/packet.pdf", links);
        Assert.Contains($"{root}/report", links);
    }

    [Fact]
    public async Task Renderer_blocks_every_network_request_and_runs_no_script()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync();
        var renderer = factory.Services.GetRequiredService<IPdfRenderer>();
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><title>t</title><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>
            <body><h1>Static text</h1><img alt="" src="http://127.0.0.1:{port}/x.png"><iframe title="f" src="http://127.0.0.1:{port}/"></iframe>
            <script>document.body.insertAdjacentHTML('beforeend', '<p>SCRIPT RAN</p>');</script></body></html>
            """;
        using var pdf = new PdfText(await renderer.RenderAsync(html, new PdfPrintOptions()));
        Assert.Contains("Statictext", pdf.All);
        Assert.DoesNotContain("SCRIPTRAN", pdf.All);
        var winner = await Task.WhenAny(accept, Task.Delay(300));
        Assert.NotSame(accept, winner);
    }

    [Fact]
    public async Task Renderer_starts_a_new_browser_when_its_browser_dies()
    {
        var renderer = factory.Services.GetRequiredService<IPdfRenderer>();
        const string html = "<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><h1>Still printing</h1></body></html>";
        await renderer.RenderAsync(html, new PdfPrintOptions());
        Assert.True(renderer.IsRunning);

        // Kill the browser processes this test run started (found by their parent chain), as a crash would.
        var killed = 0;
        foreach (var pid in ChildProcesses.Below(Environment.ProcessId).Where(p => ChildProcesses.Name(p).Contains("chrom", StringComparison.OrdinalIgnoreCase)))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); killed++; } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
        Assert.True(killed > 0, "No browser process found to kill.");
        for (var i = 0; i < 50 && renderer.IsRunning; i++) await Task.Delay(100);

        using var pdf = new PdfText(await renderer.RenderAsync(html, new PdfPrintOptions()));
        Assert.Contains("Stillprinting", pdf.All);
        Assert.True(renderer.IsRunning);
    }

    [Fact]
    public async Task A_print_over_the_timeout_fails_clearly_and_frees_its_slot()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new PdfOptions { TimeoutSeconds = 1, MaxConcurrency = 1, QueueTimeoutSeconds = 5 });
        await using var renderer = new ChromiumPdfRenderer(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChromiumPdfRenderer>.Instance);
        var huge = "<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body>"
            + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"<p>Paragraph {i} of a document far too long to print in one second.</p>")) + "</body></html>";
        var error = await Assert.ThrowsAsync<PdfTimeoutException>(() => renderer.RenderAsync(huge, new PdfPrintOptions()));
        Assert.Contains("longer than 1 seconds", error.Message);

        // The only slot is free again: a small document prints.
        using var pdf = new PdfText(await renderer.RenderAsync("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><p>Small</p></body></html>", new PdfPrintOptions()));
        Assert.Contains("Small", pdf.All);
    }

    [Fact]
    public async Task Health_check_reports_the_pdf_renderer()
    {
        var anonymous = factory.CreateBrowserClient();
        var json = await anonymous.GetStringAsync("/healthz");
        Assert.Contains("\"pdf\"", json);
        Assert.DoesNotContain("Degraded", json);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}

public sealed class NoBrowserTests(NoBrowserFactory factory) : IClassFixture<NoBrowserFactory>
{
    [Fact]
    public async Task Pdf_answers_503_with_install_help_and_the_print_view_still_works()
    {
        var anonymous = factory.CreateBrowserClient();
        var response = await anonymous.GetAsync("/handouts/handout-2.pdf");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("apt-get install chromium", page);
        Assert.Contains("Pdf:BrowserPath", page);
        Assert.Contains("/handouts/handout-2", Html.Parse(page).Hrefs());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/handouts/handout-2")).StatusCode);

        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var packet = await leader.GetAsync($"{root}/handouts/packet.pdf");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, packet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"{root}/handouts/handout-2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"{root}/report")).StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_renderer_as_degraded()
    {
        var anonymous = factory.CreateBrowserClient();
        var response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Matches("\"pdf\":\\s*\\{\\s*\"status\":\\s*\"Degraded\"", json);
    }
}
