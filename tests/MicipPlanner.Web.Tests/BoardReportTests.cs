using System.Net;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace MicipPlanner.Web.Tests;

/// <summary>The board report: print view, tagged PDF with headings, and a Word document read back with the same SDK.</summary>
public sealed class BoardReportTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string Hostile = "=cmd|' /C calc'!A0 <w:p><w:r><w:t>injected</w:t></w:r></w:p> <script>alert(1)</script>";

    private sealed record Place(FreshCycle Fresh, int GoalId, string Statement, string ChangeIdea)
    {
        public string Root => $"/districts/{Fresh.Ids.Lakeshore}/cycles/{Fresh.CycleId}";
    }

    /// <summary>A fresh cycle of Lakeshore with a goal, an activity, a charted measure, a decided PDSA cycle and a consensus on one row.</summary>
    private async Task<Place> NewReportAsync(string statement = "By June, 80% of third graders read at grade level.",
        string changeIdea = "Coaches model one read-aloud per visit")
    {
        var fresh = await FreshCycle.NewAsync(factory);
        var today = fresh.Today;
        var goalId = await factory.WithDbAsync(async db =>
        {
            var lakeshore = fresh.Ids.Lakeshore;
            var goal = new PlanGoal { DistrictId = lakeshore, CycleId = fresh.CycleId, Statement = statement };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = lakeshore, CycleId = fresh.CycleId, GoalId = goal.Id, Title = "Literacy coaching" };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, StrategyId = strategy.Id, Title = "Coach visits", StartDate = today.AddDays(-90), DueDate = today.AddDays(60),
            };
            db.PlanActivities.Add(activity);
            var measure = new PlanMeasure
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, GoalId = goal.Id, Name = "Reading at grade level", Kind = MeasureKind.Outcome,
                Unit = MeasureUnit.Percent, Better = BetterDirection.Higher, BaselineValue = 64, BaselineDate = today.AddDays(-200),
                EndTargetValue = 80, EndTargetDate = today.AddDays(200), DataSource = "Spring benchmark",
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            db.PlanMeasureValues.AddRange(Enumerable.Range(0, 6).Select(i => new PlanMeasureValue
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, MeasureId = measure.Id, Date = today.AddDays(-30 * (6 - i)), Value = 60 + i,
            }));
            db.PdsaCycles.Add(new PdsaCycle
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, ActivityId = activity.Id, ChangeIdea = changeIdea,
                Prediction = "Four of six teachers try it within a week.", Result = "Five of six tried it.", PredictionOutcome = PredictionOutcome.Held,
                Stage = PdsaStage.Act, Decision = PdsaDecision.Adopt, DecisionNote = "Every coach models it from now on.",
                StartDate = today.AddDays(-60), EndDate = today.AddDays(-40), CreatedAt = DateTimeOffset.UtcNow,
            });
            db.GoalEvaluations.Add(new GoalEvaluation
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, GoalId = goal.Id, Decision = EvaluationDecision.Maintain,
                Rationale = "Reading rose six points; the coaching goes on.", UpdatedAt = DateTimeOffset.UtcNow,
            });
            var row = Build.Toolkit.Rubric.Rows[0];
            db.ConsensusRatings.Add(new ConsensusRating
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, RowKey = row.Key, Level = 4, Rationale = "Agreed", RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            return goal.Id;
        });
        return new Place(fresh, goalId, statement, changeIdea);
    }

    private static async Task<byte[]> GetFileAsync(HttpClient client, string url, string mediaType)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task The_plan_page_leads_to_the_print_view_which_shows_goals_charts_pdsa_learning_and_rubric_movement()
    {
        var place = await NewReportAsync();
        var building = await factory.SignedInAsync("building1@example.org");
        var plan = Html.Parse(await building.GetHtmlAsync(place.Root + "/plan"));
        Assert.Contains(place.Root + "/board-report", plan.Hrefs());
        Assert.Contains(place.Root + "/board-report.pdf", plan.Hrefs());
        Assert.Contains(place.Root + "/board-report.docx", plan.Hrefs());

        var page = Html.Parse(await building.GetHtmlAsync(place.Root + "/board-report"));
        Assert.Equal(["The year's goals", "What we decided at the end of the year", "What our tests of change taught us", "Movement on the rubric across years"],
            page.QuerySelectorAll("h2").Select(h => h.TextContent.Trim()));
        Assert.Contains(place.Statement, page.Single("#sec-goals h3").Text());
        Assert.NotNull(page.QuerySelector("#sec-goals figure svg.run-chart"));
        var pdsa = page.Single("#sec-pdsa tbody tr").Text();
        Assert.Contains(place.ChangeIdea, pdsa);
        var decisions = page.Single("#sec-evaluation").Text();
        Assert.Contains("Maintain", decisions);
        Assert.Contains("Reading rose six points; the coaching goes on.", decisions);
        Assert.Contains("Five of six tried it.", pdsa);
        Assert.Contains("Adopt", pdsa);
        // The rubric's table ends with this cycle's school year, where the first row reached level 4.
        var firstRow = page.QuerySelectorAll("#sec-rubric tbody tr").First().QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.StartsWith("4.", firstRow[^1]);
        Assert.True(firstRow.Count >= 2, "The earlier school years are in the table too.");
    }

    [Fact]
    public async Task The_pdf_is_tagged_and_reads_back_with_its_headings_in_order()
    {
        var place = await NewReportAsync();
        var member = await factory.SignedInAsync("member@example.org");
        using var pdf = new PdfText(await GetFileAsync(member, place.Root + "/board-report.pdf", "application/pdf"));
        Assert.True(pdf.IsTagged);
        Assert.True(pdf.Document.TryGetBookmarks(out var bookmarks), "The report has no bookmarks.");
        var titles = bookmarks.GetNodes().Select(b => b.Title.Trim()).ToList();
        Assert.Contains("The year's goals", titles);
        Assert.Contains("What our tests of change taught us", titles);
        Assert.Contains("Movement on the rubric across years", titles);
        pdf.AssertInOrder(["Continuous improvement report", "The year's goals", place.Statement, "Reading at grade level",
            "What our tests of change taught us", place.ChangeIdea, "Movement on the rubric across years"]);
        Assert.Contains($"Page{pdf.Pages.Count}of{pdf.Pages.Count}", pdf.Pages[^1]);
    }

    [Fact]
    public async Task The_word_document_opens_with_heading_styles_tables_pictures_with_alt_text_and_page_numbers()
    {
        var place = await NewReportAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var bytes = await GetFileAsync(leader, place.Root + "/board-report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        // Valid against the Office schema (Word 2010 and later: table captions), so Word opens it without offering to repair it.
        var invalid = string.Join("\n", new OpenXmlValidator(FileFormatVersions.Office2010).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        Assert.True(invalid.Length == 0, invalid);
        var main = document.MainDocumentPart!;
        var styleIds = main.StyleDefinitionsPart!.Styles!.Elements<Style>().Select(s => s.StyleId?.Value).ToList();
        Assert.Contains("Heading1", styleIds);
        Assert.Contains("Heading2", styleIds);

        var body = main.Document.Body!;
        string? StyleOf(Paragraph p) => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
        Assert.Equal(["The year's goals", "What we decided at the end of the year", "What our tests of change taught us", "Movement on the rubric across years"],
            body.Elements<Paragraph>().Where(p => StyleOf(p) == "Heading1").Select(p => p.InnerText));
        Assert.Equal([$"Goal 1: {place.Statement}"], body.Elements<Paragraph>().Where(p => StyleOf(p) == "Heading2").Select(p => p.InnerText));

        // Goal at a glance, the year-end decisions, PDSA cycles, rubric by year: each a real table with a repeating header row.
        var tables = body.Elements<Table>().ToList();
        Assert.Equal(4, tables.Count);
        Assert.All(tables, t => Assert.NotNull(t.Elements<TableRow>().First().TableRowProperties?.GetFirstChild<TableHeader>()));
        var decisionRow = tables[1].Elements<TableRow>().ElementAt(1).InnerText;
        Assert.Contains("Maintain", decisionRow);
        Assert.Contains("Reading rose six points; the coaching goes on.", decisionRow);
        var pdsaRow = tables[2].Elements<TableRow>().ElementAt(1).InnerText;
        Assert.Contains(place.ChangeIdea, pdsaRow);
        Assert.Contains("Four of six teachers try it within a week.", pdsaRow);
        Assert.Contains("Adopt", pdsaRow);

        // The run chart is a PNG picture described in words.
        var picture = Assert.Single(body.Descendants<DW.DocProperties>());
        Assert.StartsWith("Run chart of Reading at grade level", picture.Description?.Value);
        var image = Assert.Single(main.ImageParts);
        Assert.Equal("image/png", image.ContentType);
        using (var png = image.GetStream())
        {
            var magic = new byte[8];
            png.ReadExactly(magic);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, magic);
        }

        var footer = Assert.Single(main.FooterParts).Footer!;
        Assert.Contains(footer.Descendants<FieldCode>(), f => f.Text.Trim() == "PAGE");
        Assert.NotNull(body.GetFirstChild<SectionProperties>()?.GetFirstChild<FooterReference>());
    }

    [Fact]
    public async Task Stored_text_goes_into_the_word_document_as_text_never_as_markup_or_fields()
    {
        var place = await NewReportAsync(statement: "Goal " + Hostile, changeIdea: Hostile);
        var member = await factory.SignedInAsync("member@example.org");
        var bytes = await GetFileAsync(member, place.Root + "/board-report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var main = document.MainDocumentPart!;
        var body = main.Document.Body!;

        Assert.Contains(body.Elements<Paragraph>(), p => p.InnerText == $"Goal 1: Goal {Hostile}");
        Assert.Contains(body.Descendants<TableCell>(), c => c.InnerText.StartsWith(Hostile, StringComparison.Ordinal));
        // The markup in the text made no paragraph, run or field of its own.
        Assert.DoesNotContain(body.Descendants<Paragraph>(), p => p.InnerText == "injected");
        Assert.DoesNotContain(body.Descendants<Text>(), t => t.Text == "injected");
        Assert.Empty(body.Descendants<FieldCode>());
        Assert.Empty(body.Descendants<SimpleField>());
        Assert.Empty(body.Descendants<Hyperlink>());
        Assert.Equal(["PAGE", "NUMPAGES"], main.FooterParts.Single().Footer!.Descendants<FieldCode>().Select(f => f.Text.Trim()));
    }

    [Fact]
    public async Task Another_districts_cycle_is_not_found()
    {
        var place = await NewReportAsync();
        var other = await factory.SignedInAsync("pineridge@example.org");
        foreach (var suffix in new[] { "", ".pdf", ".docx" })
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(place.Root + "/board-report" + suffix)).StatusCode);
    }
}
