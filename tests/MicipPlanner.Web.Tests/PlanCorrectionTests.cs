using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>Correcting the plan through its own forms, as rendered: texts edited, measures and values corrected, records removed.</summary>
public sealed class PlanCorrectionTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Place(DemoIds Ids, int CycleId, DateOnly Today, int GoalId, int StrategyId, int ActivityId)
    {
        public string Plan => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}/plan";
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    /// <summary>A cycle of Lakeshore of its own with a goal → strategy → activity, a percent measure on the goal and its values.</summary>
    private async Task<(Place Place, int MeasureId, int[] ValueIds)> NewPlanAsync(params decimal[] values)
    {
        var (ids, cycleId, today) = await FreshCycle.NewAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var goal = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = cycleId, Statement = "By June, 80% of third graders read at grade level." };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Title = "Literacy coaching" };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity { DistrictId = ids.Lakeshore, CycleId = cycleId, StrategyId = strategy.Id, Title = "Coach visits" };
            db.PlanActivities.Add(activity);
            var measure = new PlanMeasure
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, GoalId = goal.Id, Name = "Reading at grade level", Kind = MeasureKind.Outcome,
                Unit = MeasureUnit.Percent, Better = BetterDirection.Higher,
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            var made = values.Select((v, i) => new PlanMeasureValue
            {
                DistrictId = ids.Lakeshore, CycleId = cycleId, MeasureId = measure.Id, Date = today.AddDays(-30 * (values.Length - i)), Value = v,
            }).ToList();
            db.PlanMeasureValues.AddRange(made);
            await db.SaveChangesAsync();
            return (new Place(ids, cycleId, today, goal.Id, strategy.Id, activity.Id), measure.Id, made.Select(v => v.Id).ToArray());
        });
    }

    private static async Task<RenderedForm> FormAsync(HttpClient client, Place place, string action, params string[] fields) =>
        RenderedForm.Find(Html.Parse(await client.GetHtmlAsync(place.Plan)), action, fields)
        ?? throw new InvalidOperationException($"The plan page has no form posting to {action}.");

    /// <summary>
    /// A value's correction or removal form, reached as a person reaches it: the value's "Correct or remove" link on the
    /// plan page, then the form on the page it opens.
    /// </summary>
    private static async Task<RenderedForm> ValueFormAsync(HttpClient client, Place place, int valueId, string action, params string[] fields) =>
        RenderedForm.Find(await ValuePageAsync(client, place, valueId), action, fields)
        ?? throw new InvalidOperationException($"The value's page has no form posting to {action}.");

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> ValuePageAsync(HttpClient client, Place place, int valueId)
    {
        var plan = Html.Parse(await client.GetHtmlAsync(place.Plan));
        // The plan page carries a link per value, not its forms.
        Assert.Null(RenderedForm.Find(plan, $"{place.Plan}/values/{valueId}", []));
        var link = plan.Single($"#value-{valueId} a.value-correct-link").GetAttribute("href")!;
        return Html.Parse(await client.GetHtmlAsync(link));
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> RefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return Html.Parse(await response.Content.ReadAsStringAsync());
    }

    private Task<List<AuditEntry>> AuditOfAsync<T>(int id) => factory.WithDbAsync(db =>
        db.AuditEntries.AsNoTracking().Where(a => a.EntityType == typeof(T).Name && a.EntityId == id.ToString()).ToListAsync());

    [Fact]
    public async Task The_goal_statement_strategy_and_activity_title_are_edited_in_place_and_audited()
    {
        var (place, _, _) = await NewPlanAsync();
        var member = await factory.SignedInAsync("member@example.org");

        var goal = (await FormAsync(member, place, $"{place.Plan}/goals/{place.GoalId}", "Statement", "Version"))
            .Set("Statement", "By June, 85% of third graders read at grade level (from 64%).");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(goal.Action, goal.Content())).StatusCode);
        var strategy = (await FormAsync(member, place, $"{place.Plan}/strategies/{place.StrategyId}", "Title", "Version"))
            .Set("Title", "Literacy coaching in every K-3 classroom").Set("Systems", nameof(PlanSystems.Data)).Set("FundingSource", "Title II")
            .Set("PlannedAmount", "4000.25");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(strategy.Action, strategy.Content())).StatusCode);
        var activity = (await FormAsync(member, place, $"{place.Plan}/activities/{place.ActivityId}", "Title", "Version"))
            .Set("Title", "Coach visits, twice a month");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(activity.Action, activity.Content())).StatusCode);

        var page = Html.Parse(await member.GetHtmlAsync(place.Plan));
        Assert.Equal("By June, 85% of third graders read at grade level (from 64%).", page.Single($"#goal-{place.GoalId}-title").Text());
        Assert.Equal("Strategy: Literacy coaching in every K-3 classroom", page.Single($"#strategy-{place.StrategyId}-title").Text());
        Assert.Contains("Systems: Data · Funding: Title II, planned $4,000.25", page.Single($"#strategy-{place.StrategyId}").Text());
        Assert.Equal("Activity: Coach visits, twice a month", page.Single($"#activity-{place.ActivityId}-title").Text());

        var memberId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        var statement = Assert.Single(await AuditOfAsync<PlanGoal>(place.GoalId), e => e.Field == nameof(PlanGoal.Statement) && e.Action == AuditAction.Update);
        Assert.Equal((AuditAction.Update, "By June, 80% of third graders read at grade level.", memberId), (statement.Action, statement.OldValue, statement.UserId));
        Assert.Contains(await AuditOfAsync<PlanStrategy>(place.StrategyId), e => e.Field == nameof(PlanStrategy.Title) && e.NewValue == "Literacy coaching in every K-3 classroom");
        Assert.Contains(await AuditOfAsync<PlanActivity>(place.ActivityId), e => e.Field == nameof(PlanActivity.Title) && e.OldValue == "Coach visits");
    }

    [Fact]
    public async Task A_stale_edit_of_a_strategy_measure_or_value_answers_409_keeps_the_first_save_and_shows_it()
    {
        var (place, measureId, valueIds) = await NewPlanAsync(60m);
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var leaderPage = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        var memberPage = Html.Parse(await member.GetHtmlAsync(place.Plan));
        var leaderValuePage = await ValuePageAsync(leader, place, valueIds[0]);
        var memberValuePage = await ValuePageAsync(member, place, valueIds[0]);

        var strategy = $"{place.Plan}/strategies/{place.StrategyId}";
        var measure = $"{place.Plan}/measures/{measureId}";
        var value = $"{place.Plan}/values/{valueIds[0]}";
        var firsts = new[]
        {
            RenderedForm.Find(leaderPage, strategy, ["Title", "Version"])!.Set("Title", "Coaching, the leader's words"),
            RenderedForm.Find(leaderPage, measure, ["Name", "Version"])!.Set("Name", "Reading, the leader's words"),
            RenderedForm.Find(leaderValuePage, value, ["Value", "Version"])!.Set("Value", "61"),
        };
        var seconds = new[]
        {
            RenderedForm.Find(memberPage, strategy, ["Title", "Version"])!.Set("Title", "Coaching, the member's words"),
            RenderedForm.Find(memberPage, measure, ["Name", "Version"])!.Set("Name", "Reading, the member's words"),
            RenderedForm.Find(memberValuePage, value, ["Value", "Version"])!.Set("Value", "99"),
        };
        foreach (var first in firsts) Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(first.Action, first.Content())).StatusCode);
        foreach (var second in seconds)
        {
            var lost = await member.PostAsync(second.Action, second.Content());
            Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
            var shown = Html.Parse(await lost.Content.ReadAsStringAsync());
            Assert.Contains("Someone else changed this", shown.Single(".validation-summary-errors").Text());
        }
        var page = Html.Parse(await member.GetHtmlAsync(place.Plan));
        Assert.Equal("Strategy: Coaching, the leader's words", page.Single($"#strategy-{place.StrategyId}-title").Text());
        Assert.Contains("Reading, the leader's words", page.Single($"#measure-{measureId}-title").Text());
        Assert.Equal(61m, await factory.WithDbAsync(db => db.PlanMeasureValues.Where(v => v.Id == valueIds[0]).Select(v => v.Value).SingleAsync()));
        // A removal shown before the edit is stale too: nothing is removed.
        var staleRemoval = RenderedForm.Find(memberValuePage, $"{value}/remove", ["Confirm", "Version"])!.Set("Confirm", "true");
        Assert.Equal(HttpStatusCode.Conflict, (await member.PostAsync(staleRemoval.Action, staleRemoval.Content())).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.Id == valueIds[0])));
    }

    [Fact]
    public async Task Bad_corrections_are_refused_next_to_their_field_and_nothing_changes()
    {
        var (place, measureId, valueIds) = await NewPlanAsync(60m, 62m);
        var leader = await factory.SignedInAsync("leader@example.org");

        var goal = (await FormAsync(leader, place, $"{place.Plan}/goals/{place.GoalId}", "Statement")).Set("Statement", "  ");
        Assert.Equal("Write the goal as a SMART statement.", (await RefusedAsync(await leader.PostAsync(goal.Action, goal.Content())))
            .Single($"#g{place.GoalId}-edit-statement-error").Text());
        var strategy = (await FormAsync(leader, place, $"{place.Plan}/strategies/{place.StrategyId}", "Title")).Set("Title", "").Set("PlannedAmount", "-5");
        var strategyPage = await RefusedAsync(await leader.PostAsync(strategy.Action, strategy.Content()));
        Assert.Equal("Name the strategy.", strategyPage.Single($"#s{place.StrategyId}-edit-title-error").Text());
        Assert.Equal("Enter an amount in dollars and cents, 0 or more.", strategyPage.Single($"#s{place.StrategyId}-edit-amount-error").Text());
        var activity = (await FormAsync(leader, place, $"{place.Plan}/activities/{place.ActivityId}", "Title")).Set("Title", "");
        Assert.Equal("Describe the activity.", (await RefusedAsync(await leader.PostAsync(activity.Action, activity.Content())))
            .Single($"#a{place.ActivityId}-edit-title-error").Text());

        var value = (await ValueFormAsync(leader, place, valueIds[0], $"{place.Plan}/values/{valueIds[0]}", "Value")).Set("Value", "101");
        Assert.StartsWith("Enter a percent from 0 to 100", (await RefusedAsync(await leader.PostAsync(value.Action, value.Content())))
            .Single($"#value-{valueIds[0]}-edit-value-error").Text());
        var future = (await ValueFormAsync(leader, place, valueIds[0], $"{place.Plan}/values/{valueIds[0]}", "Date")).Set("Date", Iso(place.Today.AddDays(1)));
        Assert.Equal("A value cannot be dated after today.", (await RefusedAsync(await leader.PostAsync(future.Action, future.Content())))
            .Single($"#value-{valueIds[0]}-edit-date-error").Text());
        // A unit its recorded values do not fit: 60 and 62 are counts too, so that is fine; a percent end target of 150 is not.
        var measure = (await FormAsync(leader, place, $"{place.Plan}/measures/{measureId}", "EndTargetValue"))
            .Set("EndTargetValue", "150").Set("EndTargetDate", Iso(place.Today.AddDays(90)));
        Assert.StartsWith("Enter a percent from 0 to 100", (await RefusedAsync(await leader.PostAsync(measure.Action, measure.Content())))
            .Single($"#measure-{measureId}-edit-evalue-error").Text());

        var stored = await factory.WithDbAsync(async db => (
            await db.PlanGoals.Where(g => g.Id == place.GoalId).Select(g => g.Statement).SingleAsync(),
            await db.PlanStrategies.Where(s => s.Id == place.StrategyId).Select(s => s.Title).SingleAsync(),
            await db.PlanActivities.Where(a => a.Id == place.ActivityId).Select(a => a.Title).SingleAsync(),
            await db.PlanMeasureValues.Where(v => v.Id == valueIds[0]).Select(v => v.Value).SingleAsync(),
            await db.PlanMeasures.Where(m => m.Id == measureId).Select(m => m.EndTargetValue).SingleAsync()));
        Assert.Equal(("By June, 80% of third graders read at grade level.", "Literacy coaching", "Coach visits", 60m, (decimal?)null), stored);
    }

    [Fact]
    public async Task A_unit_the_recorded_values_do_not_fit_is_refused_next_to_the_unit()
    {
        var (place, measureId, _) = await NewPlanAsync(60m);
        var leader = await factory.SignedInAsync("leader@example.org");
        // To a count first (every percent is a fine count), with a value above 100, then back to percent: refused.
        var toCount = (await FormAsync(leader, place, $"{place.Plan}/measures/{measureId}", "Unit")).Set("Unit", nameof(MeasureUnit.Count));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(toCount.Action, toCount.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/measures/{measureId}/values",
            new() { ["Date"] = Iso(place.Today), ["Value"] = "140" }, place.Plan)).StatusCode);
        var toPercent = (await FormAsync(leader, place, $"{place.Plan}/measures/{measureId}", "Unit")).Set("Unit", nameof(MeasureUnit.Percent));
        Assert.Equal("Values or targets already recorded do not fit this unit; correct them first.",
            (await RefusedAsync(await leader.PostAsync(toPercent.Action, toPercent.Content()))).Single($"#measure-{measureId}-edit-unit-error").Text());
        Assert.Equal(MeasureUnit.Count, await factory.WithDbAsync(db => db.PlanMeasures.Where(m => m.Id == measureId).Select(m => m.Unit).SingleAsync()));
    }

    [Fact]
    public async Task A_corrected_value_redraws_the_chart_and_a_value_removed_after_confirming_is_gone_and_audited()
    {
        // Ten values, the last one mistyped as 6 instead of 60.
        var (place, measureId, valueIds) = await NewPlanAsync(50, 52, 51, 53, 50, 52, 54, 51, 53, 6);
        var mistyped = valueIds[^1];
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Contains("Latest 6%", Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#measure-{measureId} .measure-target-check").Text());

        var correct = (await ValueFormAsync(leader, place, mistyped, $"{place.Plan}/values/{mistyped}", "Value")).Set("Value", "60");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(correct.Action, correct.Content())).StatusCode);
        var measure = Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#measure-{measureId}");
        Assert.Contains("Latest 60%", measure.Single(".measure-target-check").Text());
        Assert.Contains(">60%<", measure.Single(".measure-chart").InnerHtml);

        // Removing needs the tick: without it, nothing goes and the message is next to the tick box.
        var removal = await ValueFormAsync(leader, place, mistyped, $"{place.Plan}/values/{mistyped}/remove", "Confirm", "Version");
        var unticked = await RefusedAsync(await leader.PostAsync(removal.Action, removal.Content()));
        Assert.Equal("Tick the box to confirm the removal.", unticked.Single($"#remove-value-{mistyped}-confirm-error").Text());
        Assert.True(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.Id == mistyped)));

        var ticked = (await ValueFormAsync(leader, place, mistyped, $"{place.Plan}/values/{mistyped}/remove", "Confirm", "Version")).Set("Confirm", "true");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(ticked.Action, ticked.Content())).StatusCode);
        // A double submit finds it removed already: the same answer, nothing else happens.
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(ticked.Action, ticked.Content())).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureValues.AnyAsync(v => v.Id == mistyped)));
        measure = Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#measure-{measureId}");
        Assert.Equal(9, measure.QuerySelectorAll(".measure-table tr.measure-value-row").Length);
        Assert.Contains("Latest 53%", measure.Single(".measure-target-check").Text());

        var leaderId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync());
        var removed = Assert.Single(await AuditOfAsync<PlanMeasureValue>(mistyped), e => e.Action == AuditAction.Delete && e.Field == nameof(PlanMeasureValue.Value));
        Assert.Equal((60m, leaderId, (int?)place.Ids.Lakeshore),
            (decimal.Parse(removed.OldValue!, System.Globalization.CultureInfo.InvariantCulture), removed.UserId, removed.DistrictId));
    }

    [Fact]
    public async Task A_measure_without_values_is_removed_and_one_with_values_is_archived_and_leaves_the_meeting()
    {
        var (place, measureId, _) = await NewPlanAsync(50m, 55m);
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/strategies/{place.StrategyId}/measures", new()
        {
            ["Name"] = "Coaching cycles completed", ["Kind"] = nameof(MeasureKind.Process), ["Unit"] = nameof(MeasureUnit.Count), ["Better"] = "Higher",
        }, place.Plan)).StatusCode);
        var empty = await factory.WithDbAsync(db => db.PlanMeasures.Where(m => m.StrategyId == place.StrategyId).Select(m => m.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/measures/{empty}/targets",
            new() { ["Date"] = Iso(place.Today.AddDays(30)), ["Value"] = "4" }, place.Plan)).StatusCode);

        var removeEmpty = (await FormAsync(leader, place, $"{place.Plan}/measures/{empty}/remove", "Confirm")).Set("Confirm", "true");
        Assert.Equal("Remove measure", removeEmpty.Element.QuerySelector("button")!.Text());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(removeEmpty.Action, removeEmpty.Content())).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasures.AnyAsync(m => m.Id == empty)));
        Assert.False(await factory.WithDbAsync(db => db.PlanMeasureTargets.AnyAsync(t => t.MeasureId == empty)));
        Assert.Contains(await AuditOfAsync<PlanMeasure>(empty), e => e.Action == AuditAction.Delete);

        var archive = (await FormAsync(leader, place, $"{place.Plan}/measures/{measureId}/remove", "Confirm")).Set("Confirm", "true");
        Assert.Equal("Archive measure", archive.Element.QuerySelector("button")!.Text());
        var archived = await leader.PostAsync(archive.Action, archive.Content());
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);
        Assert.Equal(2, await factory.WithDbAsync(db => db.PlanMeasureValues.CountAsync(v => v.MeasureId == measureId)));
        var page = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        Assert.StartsWith("Measure archived", page.Single(".alert-success, [role=status]").Text());
        var measure = page.Single($"#measure-{measureId}");
        Assert.NotNull(measure.QuerySelector(".measure-archived"));
        Assert.NotNull(measure.QuerySelector(".measure-chart"));
        Assert.Null(measure.QuerySelector("form"));
        var meeting = await leader.GetHtmlAsync($"/districts/{place.Ids.Lakeshore}/cycles/{place.CycleId}/monitoring");
        Assert.DoesNotContain("Reading at grade level", meeting);
    }

    [Fact]
    public async Task A_strategy_or_activity_with_records_is_not_removed_and_says_why_next_to_the_control()
    {
        var (place, _, _) = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var checkIn = await leader.PostFormAsync($"{place.Plan}/activities/{place.ActivityId}/check-ins",
            new() { ["Date"] = Iso(place.Today), ["Judgment"] = nameof(TeamJudgment.OnTrack) }, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, checkIn.StatusCode);

        var strategy = (await FormAsync(leader, place, $"{place.Plan}/strategies/{place.StrategyId}/remove", "Confirm")).Set("Confirm", "true");
        Assert.StartsWith("This strategy has activities or measures under it", (await RefusedAsync(await leader.PostAsync(strategy.Action, strategy.Content())))
            .Single($"#remove-strategy-{place.StrategyId}-confirm-error").Text());
        var activity = (await FormAsync(leader, place, $"{place.Plan}/activities/{place.ActivityId}/remove", "Confirm")).Set("Confirm", "true");
        Assert.StartsWith("Check-ins, measures or PDSA cycles are recorded on this activity", (await RefusedAsync(await leader.PostAsync(activity.Action, activity.Content())))
            .Single($"#remove-activity-{place.ActivityId}-confirm-error").Text());
        Assert.True(await factory.WithDbAsync(db => db.PlanActivities.AnyAsync(a => a.Id == place.ActivityId)));
        Assert.True(await factory.WithDbAsync(db => db.PlanStrategies.AnyAsync(s => s.Id == place.StrategyId)));
    }

    [Fact]
    public async Task An_activity_added_by_mistake_and_then_its_empty_strategy_are_removed_after_confirming_and_audited()
    {
        var (place, _, _) = await NewPlanAsync();
        var leader = await factory.SignedInAsync("leader@example.org");

        var activity = (await FormAsync(leader, place, $"{place.Plan}/activities/{place.ActivityId}/remove", "Confirm")).Set("Confirm", "true");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(activity.Action, activity.Content())).StatusCode);
        var strategy = (await FormAsync(leader, place, $"{place.Plan}/strategies/{place.StrategyId}/remove", "Confirm")).Set("Confirm", "true");
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(strategy.Action, strategy.Content())).StatusCode);

        var page = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        Assert.Null(page.QuerySelector($"#activity-{place.ActivityId}"));
        Assert.Null(page.QuerySelector($"#strategy-{place.StrategyId}"));
        Assert.Contains("No strategies under this goal yet.", page.Single($"#goal-{place.GoalId}").Text());
        Assert.Contains(await AuditOfAsync<PlanActivity>(place.ActivityId), e => e.Action == AuditAction.Delete && e.OldValue == "Coach visits");
        Assert.Contains(await AuditOfAsync<PlanStrategy>(place.StrategyId), e => e.Action == AuditAction.Delete && e.OldValue == "Literacy coaching");
    }

    [Fact]
    public async Task Another_districts_records_are_not_found_for_any_correction_and_nothing_changes()
    {
        var (place, measureId, valueIds) = await NewPlanAsync(40m);
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var pinePlan = $"/districts/{place.Ids.PineRidge}/cycles/{place.Ids.PineRidgeCycle}/plan";
        var version = Guid.NewGuid().ToString();
        var removal = new Dictionary<string, string> { ["Confirm"] = "true", ["Version"] = version };
        var attempts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ($"goals/{place.GoalId}", new() { ["Statement"] = "Taken over", ["Version"] = version }),
            ($"strategies/{place.StrategyId}", new() { ["Title"] = "Taken over", ["Version"] = version }),
            ($"activities/{place.ActivityId}", new() { ["Title"] = "Taken over", ["Version"] = version }),
            ($"measures/{measureId}", new() { ["Name"] = "Taken over", ["Kind"] = "Outcome", ["Unit"] = "Count", ["Better"] = "Higher", ["Version"] = version }),
            ($"values/{valueIds[0]}", new() { ["Date"] = Iso(place.Today), ["Value"] = "1", ["Version"] = version }),
            ($"values/{valueIds[0]}/remove", removal),
            ($"measures/{measureId}/remove", removal),
            ($"activities/{place.ActivityId}/remove", removal),
            ($"strategies/{place.StrategyId}/remove", removal),
        };
        foreach (var (path, fields) in attempts)
        {
            // Lakeshore's records under Pine Ridge's own plan, and through Lakeshore's address: not found either way.
            Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{pinePlan}/{path}", fields, pinePlan)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{place.Plan}/{path}", fields, pinePlan)).StatusCode);
        }
        // Nor is a value's correction page shown to them.
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"{pinePlan}/values/{valueIds[0]}")).StatusCode);
        var unchanged = await factory.WithDbAsync(async db => (
            await db.PlanGoals.CountAsync(g => g.Id == place.GoalId && g.Statement != "Taken over"),
            await db.PlanStrategies.CountAsync(s => s.Id == place.StrategyId && s.Title != "Taken over"),
            await db.PlanActivities.CountAsync(a => a.Id == place.ActivityId && a.Title != "Taken over"),
            await db.PlanMeasures.CountAsync(m => m.Id == measureId && m.Name != "Taken over" && m.ArchivedAt == null),
            await db.PlanMeasureValues.CountAsync(v => v.Id == valueIds[0] && v.Value == 40m)));
        Assert.Equal((1, 1, 1, 1, 1), unchanged);
    }

    [Fact]
    public async Task The_demo_plan_page_links_each_value_to_its_correction_instead_of_carrying_its_forms()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var html = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/plan");
        var rows = Html.Parse(html).QuerySelectorAll("tr.measure-value-row").ToList();
        Assert.True(rows.Count >= 20, $"{rows.Count} value rows on the demo plan");
        Assert.All(rows, row =>
        {
            Assert.Empty(row.QuerySelectorAll("form"));
            Assert.NotNull(row.QuerySelector("a.value-correct-link"));
        });
        // Two forms per value made this page about 420 KB; without them it is under 300 KB (the rest: each goal's,
        // strategy's, activity's and measure's own forms).
        Assert.True(html.Length < 320_000, $"The demo plan page is {html.Length} characters.");
    }
}
