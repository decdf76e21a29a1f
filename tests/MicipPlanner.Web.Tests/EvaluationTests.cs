using System.Net;
using AngleSharp.Dom;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The year-end evaluation of the goals and next year's plan made from its decisions, through their pages as rendered.</summary>
public sealed class EvaluationTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Year(DemoIds Ids, int LastCycleId, int LastStartYear, int NextCycleId, DateOnly Today, int KeptGoalId, int DroppedGoalId,
        int OpenActivityId, int MeasureId)
    {
        public string Last => $"/districts/{Ids.Lakeshore}/cycles/{LastCycleId}";
        public string Next => $"/districts/{Ids.Lakeshore}/cycles/{NextCycleId}";
    }

    /// <summary>
    /// Two cycles of Lakeshore one year apart; the first with two goals. The first goal has a funded strategy, activities
    /// done on time, done late, not done and still open (one for a single building, on track in its accepted report), and an
    /// end target measure with values.
    /// </summary>
    private async Task<Year> NewYearsAsync()
    {
        var (ids, lastCycleId, today) = await FreshCycle.NewAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var lastStartYear = await db.Cycles.Where(c => c.Id == lastCycleId).Select(c => c.StartYear).SingleAsync();
            var next = await Build.Cycle(db, ids.Lakeshore).StartingIn(lastStartYear + 1).SaveAsync();
            var leader = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
            var kept = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = lastCycleId, Statement = "By June, 80% of third graders read at grade level.", SortOrder = 1 };
            var dropped = new PlanGoal { DistrictId = ids.Lakeshore, CycleId = lastCycleId, Statement = "Every building sends a family newsletter.", SortOrder = 2 };
            db.PlanGoals.AddRange(kept, dropped);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = ids.Lakeshore, CycleId = lastCycleId, GoalId = kept.Id, Title = "Literacy coaching", FundingSource = "Title II", PlannedAmount = 12500m };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            PlanActivity Activity(string title, int due, int? done, bool all = true) => new()
            {
                DistrictId = ids.Lakeshore, CycleId = lastCycleId, StrategyId = strategy.Id, Title = title, OwnerUserId = leader, StartDate = today.AddDays(-100),
                DueDate = today.AddDays(due), DoneDate = done is { } d ? today.AddDays(d) : null, AllBuildings = all,
            };
            var onTime = Activity("Train the coaches", -30, -31);
            var late = Activity("Buy the books", -30, -20);
            var notDone = Activity("Parent nights", -10, null);
            var open = Activity("Coach visits at Harbor View", 30, null, all: false);
            db.PlanActivities.AddRange(onTime, late, notDone, open);
            await db.SaveChangesAsync();
            db.PlanActivityBuildings.Add(new PlanActivityBuilding { DistrictId = ids.Lakeshore, ActivityId = open.Id, BuildingId = ids.LakeshoreBuildings[0] });
            var period = new MonitoringPeriod { DistrictId = ids.Lakeshore, CycleId = lastCycleId, Name = "Winter", DueDate = today.AddDays(-5) };
            db.MonitoringPeriods.Add(period);
            await db.SaveChangesAsync();
            var report = new BuildingReport
            {
                DistrictId = ids.Lakeshore, CycleId = lastCycleId, PeriodId = period.Id, BuildingId = ids.LakeshoreBuildings[0],
                State = Domain.Balance.TemplateState.Accepted, DecidedAt = DateTimeOffset.UtcNow,
            };
            db.BuildingReports.Add(report);
            await db.SaveChangesAsync();
            db.BuildingReportActivities.Add(new BuildingReportActivity { DistrictId = ids.Lakeshore, ReportId = report.Id, ActivityId = open.Id, Judgment = TeamJudgment.OnTrack });
            db.PlanCheckIns.Add(new PlanCheckIn { DistrictId = ids.Lakeshore, CycleId = lastCycleId, ActivityId = late.Id, Date = today.AddDays(-25), ByUserId = leader });
            var measure = new PlanMeasure
            {
                DistrictId = ids.Lakeshore, CycleId = lastCycleId, GoalId = kept.Id, Name = "Reading at grade level", Kind = MeasureKind.Outcome, Unit = MeasureUnit.Percent,
                Better = BetterDirection.Higher, EndTargetValue = 70, EndTargetDate = today.AddDays(-1), DataSource = "Spring benchmark",
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            db.PlanMeasureValues.AddRange(Enumerable.Range(0, 6).Select(i => new PlanMeasureValue
            {
                DistrictId = ids.Lakeshore, CycleId = lastCycleId, MeasureId = measure.Id, Date = today.AddDays(-30 * (6 - i)), Value = 64 + i,
            }));
            await db.SaveChangesAsync();
            return new Year(ids, lastCycleId, lastStartYear, next.Id, today, kept.Id, dropped.Id, open.Id, measure.Id);
        });
    }

    private static async Task<RenderedForm> FormAsync(HttpClient client, string page, string action, params string[] fields) =>
        RenderedForm.Find(Html.Parse(await client.GetHtmlAsync(page)), action, fields)
        ?? throw new InvalidOperationException($"{page} has no form posting to {action}.");

    private async Task DecideAsync(HttpClient client, Year year, int goalId, string decision)
    {
        var form = (await FormAsync(client, $"{year.Last}/evaluation", $"{year.Last}/evaluation/goals/{goalId}", "Decision"))
            .Set("Decision", decision).Set("Rationale", $"The team chose to {decision.ToLowerInvariant()}.");
        var response = await client.PostAsync(form.Action, form.Content());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Each_goal_starts_from_the_years_figures_and_the_teams_corrections_and_decision_are_kept()
    {
        var year = await NewYearsAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var page = $"{year.Last}/evaluation";
        var form = await FormAsync(member, page, $"{page}/goals/{year.KeptGoalId}", "Readiness", "Fidelity", "ScaleAndReach", "Impact");
        string Field(string name) => form.Values.Single(v => v.Key == name).Value;
        Assert.Equal("Of 4 activities, 1 done on time, 1 done late, 1 not done and 1 still open.", Field("Fidelity"));
        Assert.Contains("1 person was named as owners of its activities; 1 recorded check-ins.", Field("Readiness"), StringComparison.Ordinal);
        Assert.Contains("$12,500 was planned for its strategies (from Title II); enter the amount used.", Field("Readiness"), StringComparison.Ordinal);
        Assert.Equal("1 of the 4 buildings involved report its activities in place (on track in their latest accepted report).", Field("ScaleAndReach"));
        Assert.Contains("Reading at grade level: end target 70% not met (latest 69%); too few values for the run chart rules.", Field("Impact"), StringComparison.Ordinal);

        form.Set("Fidelity", "Parent nights were moved to next year on purpose.").Set("AmountUsed", "9800.50").Set("Decision", "Revise")
            .Set("Rationale", "Keep the goal, measure it monthly.");
        var saved = await member.PostAsync(form.Action, form.Content());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await factory.WithDbAsync(db => db.GoalEvaluations.AsNoTracking().SingleAsync(e => e.GoalId == year.KeptGoalId));
        Assert.Equal(("Parent nights were moved to next year on purpose.", 9800.50m, EvaluationDecision.Revise), (stored.Fidelity, stored.AmountUsed!.Value, stored.Decision!.Value));
        Assert.StartsWith("1 person was named", stored.Readiness, StringComparison.Ordinal);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(GoalEvaluation) && a.EntityId == stored.Id.ToString())));

        // The page now shows the team's text and the amount it entered; the figures beside it use that amount.
        var again = await FormAsync(member, page, $"{page}/goals/{year.KeptGoalId}", "Fidelity", "Version");
        Assert.Equal("Parent nights were moved to next year on purpose.", again.Values.Single(v => v.Key == "Fidelity").Value);
        Assert.Contains("used 9800.5", await member.GetHtmlAsync(page), StringComparison.Ordinal);

        // The form shown before the first save, sent again after it, is stale: nothing of it is kept.
        var stale = await member.PostAsync(form.Action, form.Set("Fidelity", "Overwritten").Content());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("Parent nights were moved to next year on purpose.",
            await factory.WithDbAsync(db => db.GoalEvaluations.Where(e => e.GoalId == year.KeptGoalId).Select(e => e.Fidelity).SingleAsync()));

        // A decision needs its reason.
        var noReason = await member.PostAsync(again.Action, again.Set("Decision", "Archive").Set("Rationale", "").Content());
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Say why the team decided so.", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A building team reads the evaluation and cannot write it.
        var building = await factory.SignedInAsync("building1@example.org");
        var read = Html.Parse(await building.GetHtmlAsync(page));
        Assert.DoesNotContain(RenderedForm.PostFormsOf(read), f => f.Action.Contains("/evaluation/goals/", StringComparison.Ordinal));
        Assert.Contains("Keep the goal, measure it monthly.", read.QuerySelector(".evaluation-answers")!.TextContent, StringComparison.Ordinal);
        var token = await building.AntiforgeryTokenAsync(page);
        var refused = await building.PostAsync(form.Action, new FormUrlEncodedContent([KeyValuePair.Create("Decision", "Archive"), KeyValuePair.Create("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Next_years_plan_carries_only_the_confirmed_maintained_goals_once_with_unfinished_activities_and_a_continuing_measure()
    {
        var year = await NewYearsAsync();
        var member = await factory.SignedInAsync("member@example.org");
        await DecideAsync(member, year, year.KeptGoalId, "Maintain");
        await DecideAsync(member, year, year.DroppedGoalId, "Discontinue");

        var carryPage = $"{year.Next}/evaluation/carry-over";
        var html = Html.Parse(await member.GetHtmlAsync(carryPage));
        var form = RenderedForm.Find(html, carryPage, ["GoalIds"])!;
        // Only the maintained goal can be ticked; nothing is ticked for the team.
        Assert.Equal([year.KeptGoalId.ToString()], html.QuerySelectorAll("input[name=GoalIds]").Select(i => i.GetAttribute("value")!));
        Assert.DoesNotContain(form.Values, v => v.Key == "GoalIds");
        Assert.Contains("Every building sends a family newsletter.", html.QuerySelector("main")?.TextContent ?? html.Body!.TextContent, StringComparison.Ordinal);

        // A discontinued goal forged into the form is refused, and nothing is copied.
        var forged = await member.PostAsync(form.Action, new FormUrlEncodedContent(
            form.Copy().Set("GoalIds", year.KeptGoalId.ToString()).Values.Append(KeyValuePair.Create("GoalIds", year.DroppedGoalId.ToString()))));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.PlanGoals.CountAsync(g => g.CycleId == year.NextCycleId)));

        // Confirmed, and sent twice: carried once.
        var confirmed = form.Set("GoalIds", year.KeptGoalId.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(confirmed.Action, confirmed.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostAsync(confirmed.Action, confirmed.Content())).StatusCode);
        var carried = await factory.WithDbAsync(async db => new
        {
            Goals = await db.PlanGoals.AsNoTracking().Where(g => g.CycleId == year.NextCycleId).ToListAsync(),
            Activities = await db.PlanActivities.AsNoTracking().Where(a => a.CycleId == year.NextCycleId).ToListAsync(),
            Buildings = await db.PlanActivityBuildings.AsNoTracking().Where(b => db.PlanActivities.Any(a => a.Id == b.ActivityId && a.CycleId == year.NextCycleId)).ToListAsync(),
            Measures = await db.PlanMeasures.AsNoTracking().Where(m => m.CycleId == year.NextCycleId).ToListAsync(),
            Strategies = await db.PlanStrategies.AsNoTracking().Where(s => s.CycleId == year.NextCycleId).ToListAsync(),
        });
        var goal = Assert.Single(carried.Goals);
        Assert.Equal((year.KeptGoalId, "By June, 80% of third graders read at grade level."), (goal.CarriedFromGoalId!.Value, goal.Statement));
        Assert.Equal(("Literacy coaching", "Title II", (decimal?)null), (Assert.Single(carried.Strategies).Title, carried.Strategies[0].FundingSource, carried.Strategies[0].PlannedAmount));
        // The two activities not done come along, undated for the new year; the done ones stay in last year's record.
        Assert.Equal(["Coach visits at Harbor View", "Parent nights"], carried.Activities.Select(a => a.Title).Order());
        Assert.All(carried.Activities, a => Assert.Null(a.DueDate));
        Assert.Equal(year.Ids.LakeshoreBuildings[0], Assert.Single(carried.Buildings).BuildingId);
        var measure = Assert.Single(carried.Measures);
        Assert.Equal(("Reading at grade level", (int?)year.MeasureId, (decimal?)null), (measure.Name, measure.HistoryMeasureId, measure.EndTargetValue));

        // The new plan links back to last year's evaluation, and the measure's run chart goes on from last year's six values.
        await factory.WithDbAsync(async db =>
        {
            db.PlanMeasureValues.Add(new PlanMeasureValue { DistrictId = year.Ids.Lakeshore, CycleId = year.NextCycleId, MeasureId = measure.Id, Date = year.Today, Value = 72 });
            await db.SaveChangesAsync();
        });
        var plan = Html.Parse(await member.GetHtmlAsync($"{year.Next}/plan"));
        var back = plan.QuerySelector($"#goal-{goal.Id} .plan-carried-from a")!;
        Assert.Equal($"{year.Last}/evaluation#goal-{year.KeptGoalId}", back.GetAttribute("href"));
        Assert.Contains($"Carried from {Domain.Organisation.SchoolYears.Format(year.LastStartYear)}", back.TextContent, StringComparison.Ordinal);
        var chart = plan.QuerySelector($"svg[aria-labelledby='measure-{measure.Id}-chart-title']")!;
        Assert.Equal(7, chart.QuerySelectorAll(".run-chart-point").Length);

        // Last year's evaluation names where the goal went.
        var lastYear = Html.Parse(await member.GetHtmlAsync($"{year.Last}/evaluation"));
        Assert.Equal($"{year.Next}/plan#goal-{goal.Id}", lastYear.QuerySelector($"#goal-{year.KeptGoalId} a[href*='/plan#goal-']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Lakeshores_demo_plan_was_seeded_by_last_years_evaluation()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (decisions, carried) = await factory.WithDbAsync(async db => (
            await db.GoalEvaluations.Where(e => e.CycleId == ids.LakeshoreLastCycle).Select(e => new { e.GoalId, e.Decision }).ToListAsync(),
            await db.PlanGoals.Where(g => g.CycleId == ids.LakeshoreCycle && g.CarriedFromGoalId != null).Select(g => g.CarriedFromGoalId!.Value).ToListAsync()));
        Assert.Equal([EvaluationDecision.Maintain, EvaluationDecision.Revise, EvaluationDecision.Discontinue], decisions.Select(d => d.Decision!.Value).Order());
        Assert.Equal(decisions.Where(d => GoalEvaluationRules.CarriesOver(d.Decision)).Select(d => d.GoalId).Order(), carried.Order());
        var leader = await factory.SignedInAsync("leader@example.org");
        var carryOver = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/evaluation/carry-over");
        Assert.Contains("in this year's plan", carryOver, StringComparison.Ordinal);
        Assert.Contains("Strategic abandonment", carryOver, StringComparison.Ordinal);
    }
}
