using System.IO.Compression;
using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace MicipPlanner.Web.Tests;

/// <summary>PDSA cycles on the plan's activities, through their own pages and forms as rendered; the worksheet; the plan's export.</summary>
public sealed class PdsaTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Place(DemoIds Ids, int CycleId, DateOnly Today, int GoalId, int ActivityId, int MeasureId)
    {
        public string Root => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}";
        public string ActivityPage => $"{Root}/pdsa/activities/{ActivityId}";
        public string Cycle(int id) => $"{Root}/pdsa/{id}";
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    /// <summary>A cycle of Lakeshore of its own with goal → strategy → activity and a goal measure with monthly values.</summary>
    private async Task<Place> NewPlanAsync()
    {
        var (ids, cycleId, today) = await FreshCycle.NewAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var goal = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = cycleId, Statement = "By June, 80% of third graders read at grade level." };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Title = "Literacy coaching", FundingSource = "Title II", PlannedAmount = 12500m,
            };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, StrategyId = strategy.Id, Title = "Coach visits", StartDate = today.AddDays(-90), DueDate = today.AddDays(60),
            };
            db.PlanActivities.Add(activity);
            var measure = new PlanMeasure
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Name = "Reading at grade level", Kind = MeasureKind.Outcome,
                Unit = MeasureUnit.Percent, Better = BetterDirection.Higher, BaselineValue = 64, EndTargetValue = 80, EndTargetDate = today.AddDays(200),
                DataSource = "Spring benchmark",
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            db.PlanMeasureValues.AddRange(Enumerable.Range(0, 6).Select(i => new PlanMeasureValue
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, MeasureId = measure.Id, Date = today.AddDays(-30 * (6 - i)), Value = 60 + i,
            }));
            await db.SaveChangesAsync();
            return new Place(ids, cycleId, today, goal.Id, activity.Id, measure.Id);
        });
    }

    private static async Task<RenderedForm> FormAsync(HttpClient client, string page, string action, params string[] fields) =>
        RenderedForm.Find(Html.Parse(await client.GetHtmlAsync(page)), action, fields)
        ?? throw new InvalidOperationException($"{page} has no form posting to {action}.");

    private async Task<int> PlanCycleAsync(HttpClient client, Place place)
    {
        var form = (await FormAsync(client, place.ActivityPage, place.ActivityPage, "ChangeIdea"))
            .Set("ChangeIdea", "Coaches model one read-aloud per visit")
            .Set("Question", "Do teachers try the read-aloud routine within a week?")
            .Set("Prediction", "Four of six teachers try it within a week.")
            .Set("Who", "Two coaches").Set("Where", "Harbor View grade 3")
            .Set("StartDate", Iso(place.Today.AddDays(-60))).Set("EndDate", Iso(place.Today.AddDays(-40)))
            .Set("MeasureIds", place.MeasureId.ToString());
        var response = await client.PostAsync(form.Action, form.Content());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.ActivityId == place.ActivityId).MaxAsync(p => p.Id));
    }

    [Fact]
    public async Task A_cycle_goes_plan_do_study_act_and_ramps_into_a_next_cycle()
    {
        var place = await NewPlanAsync();
        var member = await factory.SignedInAsync("member@example.org");
        // The plan page leads to the activity's cycles and the goal's.
        var plan = Html.Parse(await member.GetHtmlAsync(place.Root + "/plan"));
        Assert.Contains(place.ActivityPage, plan.Hrefs());
        Assert.Contains($"{place.Root}/pdsa/goals/{place.GoalId}", plan.Hrefs());

        var id = await PlanCycleAsync(member, place);
        var url = place.Cycle(id);
        var page = Html.Parse(await member.GetHtmlAsync(url));
        Assert.Contains("Four of six teachers try it within a week.", page.Single(".pdsa-plan").Text());
        Assert.Equal("Planned", page.Single(".pdsa-about .pdsa-stage").Text());
        // Nothing to study or decide before the test is carried out.
        Assert.Null(RenderedForm.Find(page, url + "/study", []));
        Assert.Null(RenderedForm.Find(page, url + "/act", []));
        var stored = await factory.WithDbAsync(db => db.PdsaMeasureLinks.Where(l => l.PdsaCycleId == id).Select(l => l.MeasureId).ToListAsync());
        Assert.Equal([place.MeasureId], stored);

        var doForm = (await FormAsync(member, url, url + "/do", "WhatHappened"))
            .Set("WhatHappened", "Both coaches modelled it; five teachers tried it.").Set("Problems", "One visit cancelled.");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(doForm.Action, doForm.Content())).StatusCode);
        page = Html.Parse(await member.GetHtmlAsync(url));
        // The plan is fixed once carried out: its correction form is gone.
        Assert.Null(RenderedForm.Find(page, url + "/plan", []));
        // The study shows the linked measure's run chart with the cycle's dates marked.
        var study = page.Single(".pdsa-study");
        Assert.Contains("PDSA starts", study.Text());
        Assert.Contains("PDSA ends", study.Text());
        Assert.NotNull(study.QuerySelector("svg.run-chart"));

        var studyForm = (await FormAsync(member, url, url + "/study", "Result"))
            .Set("PredictionOutcome", nameof(PredictionOutcome.Held)).Set("Result", "Five of six tried it; reading rose above the median.");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(studyForm.Action, studyForm.Content())).StatusCode);
        var actForm = (await FormAsync(member, url, url + "/act", "Decision"))
            .Set("Decision", nameof(PdsaDecision.Adapt)).Set("DecisionNote", "Try it in grade 2 with a shorter text.");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(actForm.Action, actForm.Content())).StatusCode);

        var decided = await factory.WithDbAsync(db => db.PdsaCycles.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal((PdsaStage.Act, PdsaDecision.Adapt, PredictionOutcome.Held), (decided.Stage, decided.Decision, decided.PredictionOutcome));
        Assert.Equal("Five of six tried it; reading rose above the median.", decided.Result);

        // The next cycle of the ramp, planned from the decided cycle's page: the change idea comes filled in.
        var next = await FormAsync(member, url, place.ActivityPage, "PreviousPdsaCycleId");
        Assert.Equal("Coaches model one read-aloud per visit", next.Values.Single(v => v.Key == "ChangeIdea").Value);
        next.Set("ChangeIdea", "Read-aloud routine in grade 2").Set("Question", "Does it carry to grade 2?").Set("Prediction", "Three of four teachers try it.");
        var made = await member.PostAsync(next.Action, next.Content());
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var nextId = await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.PreviousPdsaCycleId == id).Select(p => p.Id).SingleAsync());
        Assert.EndsWith($"/pdsa/{nextId}", made.Headers.Location!.OriginalString);
        // Only one next cycle: the first cycle offers no second.
        Assert.Null(RenderedForm.Find(Html.Parse(await member.GetHtmlAsync(url)), place.ActivityPage, ["PreviousPdsaCycleId"]));

        // The lists per activity and per goal show both cycles with their stage.
        foreach (var list in new[] { place.ActivityPage, $"{place.Root}/pdsa/goals/{place.GoalId}" })
        {
            var rows = Html.Parse(await member.GetHtmlAsync(list)).QuerySelectorAll("table.pdsa-list tbody tr").Select(r => r.Text()).ToList();
            Assert.Equal(2, rows.Count);
            Assert.Contains("Decided", rows[0]);
            Assert.Contains("Adapt", rows[0]);
            Assert.Contains("Planned", rows[1]);
            Assert.Contains("(follows 1)", rows[1]);
        }
    }

    [Fact]
    public async Task Stages_cannot_be_skipped_and_an_abandoned_change_ends_its_ramp()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var id = await PlanCycleAsync(leader, place);
        var url = place.Cycle(id);
        var version = await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.Id == id).Select(p => p.Version).SingleAsync());

        // A decision posted before the study (the page offers no such form) is refused next to the decision.
        var act = await leader.PostUnofferedAsync(url + "/act", new() { ["Decision"] = "Adopt", ["Version"] = version.ToString() }, url);
        Assert.Equal(HttpStatusCode.BadRequest, act.StatusCode);
        Assert.Contains("Study the result against the prediction before deciding.", await act.Content.ReadAsStringAsync());
        var study = await leader.PostUnofferedAsync(url + "/study", new() { ["Result"] = "x", ["PredictionOutcome"] = "Held", ["Version"] = version.ToString() }, url);
        Assert.Equal(HttpStatusCode.BadRequest, study.StatusCode);
        Assert.Contains("Record what happened (Do) before studying the result.", await study.Content.ReadAsStringAsync());
        Assert.Equal(PdsaStage.Plan, await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.Id == id).Select(p => p.Stage).SingleAsync()));

        foreach (var (action, field, value) in new[] { ("do", "WhatHappened", "Tried once."), ("study", "Result", "No change."), ("act", "Decision", "Abandon") })
        {
            var form = await FormAsync(leader, url, $"{url}/{action}", field);
            form.Set(field, value);
            if (action == "study") form.Set("PredictionOutcome", nameof(PredictionOutcome.DidNotHold));
            Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(form.Action, form.Content())).StatusCode);
        }
        // Abandoned: no next cycle is offered, and one posted anyway is refused.
        Assert.Null(RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync(url)), place.ActivityPage, ["PreviousPdsaCycleId"]));
        var forced = await leader.PostUnofferedAsync(place.ActivityPage, new()
        {
            ["ChangeIdea"] = "Again", ["Question"] = "Q", ["Prediction"] = "P", ["PreviousPdsaCycleId"] = id.ToString(),
        }, url);
        Assert.Equal(HttpStatusCode.BadRequest, forced.StatusCode);
        Assert.Contains("abandoned, so its ramp ends here", await forced.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.PdsaCycles.AnyAsync(p => p.PreviousPdsaCycleId == id)));
    }

    [Fact]
    public async Task A_stale_form_keeps_the_other_save_and_answers_conflict()
    {
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var id = await PlanCycleAsync(leader, place);
        var url = place.Cycle(id);
        var first = (await FormAsync(leader, url, url + "/do", "WhatHappened")).Set("WhatHappened", "First account.");
        var second = (await FormAsync(leader, url, url + "/do", "WhatHappened")).Set("WhatHappened", "Second account.");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(first.Action, first.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await leader.PostAsync(second.Action, second.Content())).StatusCode);
        Assert.Equal("First account.", await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.Id == id).Select(p => p.WhatHappened).SingleAsync()));
    }

    [Fact]
    public async Task A_measure_of_another_cycle_cannot_be_linked()
    {
        var place = await NewPlanAsync();
        var other = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var form = (await FormAsync(leader, place.ActivityPage, place.ActivityPage, "ChangeIdea"))
            .Set("ChangeIdea", "A change").Set("Question", "Q?").Set("Prediction", "P.");
        var fields = form.Values.Append(KeyValuePair.Create("MeasureIds", other.MeasureId.ToString())).ToList();
        var response = await leader.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose measures of the plan.", await response.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.PdsaCycles.AnyAsync(p => p.ActivityId == place.ActivityId)));
    }

    [Fact]
    public async Task A_building_team_reads_the_cycles_without_forms()
    {
        var place = await NewPlanAsync();
        var id = await PlanCycleAsync(await factory.SignedInAsync("leader@example.org"), place);
        var building = await factory.SignedInAsync("building1@example.org");
        foreach (var url in new[] { place.ActivityPage, place.Cycle(id) })
        {
            var page = Html.Parse(await building.GetHtmlAsync(url));
            Assert.Empty(RenderedForm.PostFormsOf(page.Single("main")));
        }
        Assert.Contains("Coaches model one read-aloud per visit", Html.Parse(await building.GetHtmlAsync(place.Cycle(id))).Single("h1").Text());
    }

    [Fact]
    public async Task The_worksheet_is_blank_on_handouts_and_filled_for_a_cycle()
    {
        var anonymous = factory.CreateBrowserClient();
        var list = Html.Parse(await anonymous.GetHtmlAsync("/handouts"));
        Assert.Contains("/handouts/pdsa-worksheet", list.Hrefs());
        var blank = Html.Parse(await anonymous.GetHtmlAsync("/handouts/pdsa-worksheet"));
        Assert.Equal("PDSA Worksheet: Plan, Do, Study, Act", blank.Single("h1").Text());
        Assert.NotEmpty(blank.QuerySelectorAll(".lines"));
        // It is a planning tool, not a workshop handout: the district's filled handouts do not take it by name.
        var place = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"{place.Root}/handouts/pdsa-worksheet")).StatusCode);

        var id = await PlanCycleAsync(leader, place);
        var filled = Html.Parse(await leader.GetHtmlAsync(place.Cycle(id) + "/worksheet"));
        Assert.Contains("Four of six teachers try it within a week.", filled.Single("section.handout").Text());
        Assert.Contains("Reading at grade level", filled.Single("section.handout").Text());
        Assert.Contains(place.Cycle(id) + "/worksheet.pdf", filled.Hrefs());

        // The filled PDF is tagged and reads back with the cycle's plan in the worksheet's order.
        var response = await leader.GetAsync(place.Cycle(id) + "/worksheet.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = new PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.True(pdf.IsTagged);
        pdf.AssertInOrder(["PDSA Worksheet: Plan, Do, Study, Act", "Coaches model one read-aloud per visit", "Four of six teachers try it within a week.",
            "Reading at grade level"]);
    }

    [Fact]
    public async Task The_plan_downloads_in_micips_terms_with_formulas_neutralised()
    {
        var place = await NewPlanAsync();
        await factory.WithDbAsync(async db =>
        {
            var activity = await db.PlanActivities.SingleAsync(a => a.Id == place.ActivityId);
            activity.Title = "=HYPERLINK(\"http://evil.example\",\"click\")";
            var strategy = await db.PlanStrategies.SingleAsync(s => s.Id == activity.StrategyId);
            strategy.FundingSource = "@SUM(A1)";
            var measure = await db.PlanMeasures.SingleAsync(m => m.Id == place.MeasureId);
            measure.DataSource = "-2+3";
            db.PlanMeasureTargets.Add(new PlanMeasureTarget { DistrictId = place.Ids.Lakeshore, CycleId = place.CycleId, MeasureId = measure.Id, Date = new DateOnly(2027, 1, 15), Value = 70 });
            await db.SaveChangesAsync();
        });
        var member = await factory.SignedInAsync("member@example.org");
        var plan = Html.Parse(await member.GetHtmlAsync(place.Root + "/plan"));
        Assert.Contains(place.Root + "/plan/export.csv", plan.Hrefs());
        Assert.Contains(place.Root + "/plan/export.xlsx", plan.Hrefs());

        var csvResponse = await member.GetAsync(place.Root + "/plan/export.csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = (await csvResponse.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("School year,Level,Goal,Strategy,Activity,Owner,Start date,Due date", csv);
        foreach (var cell in new[] { "=HYPERLINK", "@SUM(A1)", "-2+3" })
        {
            Assert.Contains("'" + cell, csv);
            Assert.DoesNotContain("," + cell, csv);
            Assert.DoesNotContain("\"" + cell, csv);
        }

        var xlsx = await member.GetByteArrayAsync(place.Root + "/plan/export.xlsx");
        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["Goal", "End target measure", "Strategy", "Activity"], rows.Select(r => (string)r["Level"]));
        var end = rows[1];
        Assert.Equal("Reading at grade level", end["Measure"]);
        Assert.Equal("80%", end["Target"]);
        Assert.Equal("2027-01-15: 70%", end["Interim targets"]);
        Assert.Equal("@SUM(A1)", rows[2]["Funding source"]);
        Assert.Equal(Iso(place.Today.AddDays(60)), rows[3]["Due date"]);
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var sheetXml = await reader.ReadToEndAsync();
            Assert.DoesNotContain("<x:f>", sheetXml);
            Assert.DoesNotContain("<f>", sheetXml);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(place.Root + "/plan/export.pdf")).StatusCode);
    }

    [Fact]
    public async Task Lakeshores_demo_has_an_adopted_and_an_abandoned_cycle()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var decisions = await factory.WithDbAsync(db => db.PdsaCycles.Where(p => p.DistrictId == ids.Lakeshore && p.CycleId == ids.LakeshoreCycle)
            .Select(p => p.Decision).ToListAsync());
        Assert.Contains(PdsaDecision.Adopt, decisions);
        Assert.Contains(PdsaDecision.Abandon, decisions);

        // The adopted cycle's learning is shared on the district's network, published by the key leader without the district's name.
        var shared = await factory.WithDbAsync(db => db.PracticeNotes.AsNoTracking()
            .Where(n => n.DistrictId == ids.Lakeshore && n.CycleId == ids.LakeshoreCycle && n.SourcePdsaCycleId != null)
            .Select(n => new { n.IsProposal, n.IsAnonymous, n.WithdrawnAt, n.Text, Source = db.PdsaCycles.Where(p => p.Id == n.SourcePdsaCycleId).Select(p => new { p.Decision, p.ChangeIdea }).First() })
            .SingleAsync());
        Assert.Equal(PdsaDecision.Adopt, shared.Source.Decision);
        Assert.False(shared.IsProposal);
        Assert.True(shared.IsAnonymous);
        Assert.Null(shared.WithdrawnAt);
        Assert.StartsWith($"Change idea: {shared.Source.ChangeIdea}", shared.Text, StringComparison.Ordinal);
        var networkId = await factory.WithDbAsync(db => db.Networks.Where(n => n.Name == MicipPlanner.Web.Startup.DemoNetworkData.NetworkName).Select(n => n.Id).SingleAsync());
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var network = Html.Parse(await pine.GetHtmlAsync($"/networks/{networkId}"));
        Assert.Contains(network.QuerySelectorAll(".practice-notes li"), li => li.TextContent.Contains(shared.Source.ChangeIdea, StringComparison.Ordinal)
            && li.TextContent.Contains("Learning from a PDSA cycle", StringComparison.Ordinal) && li.TextContent.Contains("a network district", StringComparison.Ordinal)
            && !li.TextContent.Contains("Lakeshore", StringComparison.Ordinal));
    }
}
