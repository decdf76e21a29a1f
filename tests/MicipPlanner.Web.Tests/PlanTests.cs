using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The plan through the year, built through its own pages: goals → strategies → activities, check-ins, derived states.</summary>
public sealed class PlanTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Place(DemoIds Ids, int CycleId, DateOnly Today)
    {
        public string Plan => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}/plan";
    }

    /// <summary>A cycle of Lakeshore of its own, so each test starts from an empty plan; today in the district's calendar.</summary>
    private async Task<Place> NewCycleAsync()
    {
        var fresh = await FreshCycle.NewAsync(factory);
        return new Place(fresh.Ids, fresh.CycleId, fresh.Today);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    private static async Task<int> NewestIdAsync<T>(MicipWebFactory factory, Func<Infrastructure.Data.AppDbContext, IQueryable<T>> set, Func<T, int> id) =>
        await factory.WithDbAsync(async db => (await set(db).ToListAsync()).Max(id));

    /// <summary>Adds a goal, a strategy under it and an activity under that through the pages, as <paramref name="client"/>.</summary>
    private async Task<(int Goal, int Strategy, int Activity)> BuildPlanAsync(HttpClient client, Place place, string activityTitle, DateOnly? start, DateOnly? due)
    {
        var goal = await client.PostFormAsync(place.Plan + "/goals", new()
        {
            ["Statement"] = "By June, 80% of third graders read at grade level (from 64%).",
            ["State"] = "Active",
            ["RubricRowKeys"] = Build.Toolkit.Rubric.Rows[0].Key,
        }, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, goal.StatusCode);
        var goalId = await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.CycleId == place.CycleId).MaxAsync(g => g.Id));

        var strategy = await client.PostFormAsync($"{place.Plan}/goals/{goalId}/strategies", new()
        {
            ["Title"] = "Literacy coaching in every K-3 classroom",
            ["Systems"] = nameof(PlanSystems.CurriculumInstructionAssessment),
            ["FundingSource"] = "Title II",
            ["PlannedAmount"] = "12500.50",
        }, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, strategy.StatusCode);
        var strategyId = await factory.WithDbAsync(db => db.PlanStrategies.Where(s => s.GoalId == goalId).MaxAsync(s => s.Id));

        var fields = new Dictionary<string, string> { ["Title"] = activityTitle };
        if (start is { } s) fields["StartDate"] = Iso(s);
        if (due is { } d) fields["DueDate"] = Iso(d);
        var activity = await client.PostFormAsync($"{place.Plan}/strategies/{strategyId}/activities", fields, place.Plan);
        Assert.Equal(HttpStatusCode.Redirect, activity.StatusCode);
        var activityId = await factory.WithDbAsync(db => db.PlanActivities.Where(a => a.StrategyId == strategyId).MaxAsync(a => a.Id));
        return (goalId, strategyId, activityId);
    }

    private static AngleSharp.Dom.IElement ActivityOn(string html, int activityId) => Html.Parse(html).Single($"#activity-{activityId}");

    [Fact]
    public async Task An_empty_plan_says_so_and_offers_the_first_goal()
    {
        var place = await NewCycleAsync();
        var page = Html.Parse(await (await factory.SignedInAsync("leader@example.org")).GetHtmlAsync(place.Plan));
        Assert.StartsWith("No goals yet.", page.Single(".plan-empty").Text());
        Assert.NotNull(page.QuerySelector($"form[action='{place.Plan}/goals']"));
        // The district navigation leads here.
        Assert.Contains(place.Plan, page.Single("nav.district-nav").Hrefs());
    }

    [Fact]
    public async Task A_team_member_builds_goal_strategy_and_activity_and_the_page_shows_them_in_order()
    {
        var place = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var (goalId, strategyId, activityId) = await BuildPlanAsync(member, place, "Train the coaches", place.Today.AddDays(-10), place.Today.AddDays(60));

        var page = Html.Parse(await member.GetHtmlAsync(place.Plan));
        var goal = page.Single($"#goal-{goalId}");
        Assert.Contains("By June, 80% of third graders read at grade level", goal.Single("h2").Text());
        Assert.Contains($"1. {Build.Toolkit.Rubric.Rows[0].Label}", goal.Text());
        var strategy = goal.Single($"#strategy-{strategyId}");
        Assert.Contains("Literacy coaching in every K-3 classroom", strategy.Single("h3").Text());
        Assert.Contains("Curriculum, instruction and assessment", strategy.Text());
        Assert.Contains("$12,500.50", strategy.Text());
        var activity = strategy.Single($"#activity-{activityId}");
        Assert.Contains("Train the coaches", activity.Single("h4").Text());
        // Started ten days ago, due in two months: on target, not yet checked in.
        Assert.Equal("On target", activity.Single(".activity-state").Text());
        Assert.Equal("No check-in yet", activity.Single(".activity-judgment").Text());
        Assert.Null(activity.QuerySelector(".activity-stale"));

        var stored = await factory.WithDbAsync(db => db.PlanStrategies.SingleAsync(s => s.Id == strategyId));
        Assert.Equal((PlanSystems.CurriculumInstructionAssessment, 12500.50m, "Title II"), (stored.Systems, stored.PlannedAmount, stored.FundingSource));
    }

    [Fact]
    public async Task Derived_states_show_overdue_approaching_and_a_stale_activity()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, strategyId, overdue) = await BuildPlanAsync(leader, place, "Overdue one", place.Today.AddDays(-60), place.Today.AddDays(-1));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/strategies/{strategyId}/activities",
            new() { ["Title"] = "Approaching one", ["DueDate"] = Iso(place.Today.AddDays(14)) }, place.Plan)).StatusCode);
        var approaching = await factory.WithDbAsync(db => db.PlanActivities.Where(a => a.StrategyId == strategyId).MaxAsync(a => a.Id));

        var html = await leader.GetHtmlAsync(place.Plan);
        Assert.Equal("Overdue", ActivityOn(html, overdue).Single(".activity-state").Text());
        // Started 60 days ago with no check-in since: flagged.
        Assert.Equal("No check-in for 30 days", ActivityOn(html, overdue).Single(".activity-stale").Text());
        Assert.Equal("Approaching", ActivityOn(html, approaching).Single(".activity-state").Text());
        Assert.Null(ActivityOn(html, approaching).QuerySelector(".activity-stale"));
    }

    [Fact]
    public async Task A_check_in_shows_its_judgment_and_clears_the_stale_flag_and_every_check_in_is_kept()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, _, activityId) = await BuildPlanAsync(leader, place, "Coach visits", place.Today.AddDays(-45), place.Today.AddDays(30));
        var url = $"{place.Plan}/activities/{activityId}/check-ins";

        // The date the form offers is today; the team picks a judgment and writes a note.
        var form = RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync(place.Plan)), url, ["Date"])!;
        Assert.Equal(Iso(place.Today), form.Values.Single(v => v.Key == "Date").Value);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(url, new()
        {
            ["Judgment"] = nameof(TeamJudgment.OnTrack), ["Note"] = "First visits done.",
        }, place.Plan)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(url, new()
        {
            ["Judgment"] = nameof(TeamJudgment.AtRisk), ["Note"] = "Two coaches left.\nHiring.", ["EvidenceLink"] = "https://example.org/minutes/october",
        }, place.Plan)).StatusCode);

        var activity = ActivityOn(await leader.GetHtmlAsync(place.Plan), activityId);
        Assert.Contains("At risk", activity.Single(".activity-judgment").Text());
        Assert.Null(activity.QuerySelector(".activity-stale"));
        Assert.Equal("https://example.org/minutes/october", activity.Single("a[rel~=noopener]").GetAttribute("href"));
        var kept = await factory.WithDbAsync(db => db.PlanCheckIns.Where(c => c.ActivityId == activityId).OrderBy(c => c.Id).Select(c => c.Judgment).ToListAsync());
        Assert.Equal([TeamJudgment.OnTrack, TeamJudgment.AtRisk], kept);
    }

    [Fact]
    public async Task A_check_in_without_a_judgment_or_with_a_script_link_is_refused_next_to_the_field()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, _, activityId) = await BuildPlanAsync(leader, place, "Coach visits", place.Today.AddDays(-5), place.Today.AddDays(30));
        var url = $"{place.Plan}/activities/{activityId}/check-ins";

        var noJudgment = await leader.PostFormAsync(url, new() { ["Note"] = "Kept on refusal" }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, noJudgment.StatusCode);
        var page = Html.Parse(await noJudgment.Content.ReadAsStringAsync());
        Assert.Equal("Choose on track, at risk or off track.", page.Single($"#a{activityId}-checkin-judgment-error").Text());
        Assert.Equal("Kept on refusal", page.Single($"#a{activityId}-checkin-note").TextContent);

        var script = await leader.PostFormAsync(url, new() { ["Judgment"] = "OnTrack", ["EvidenceLink"] = "javascript:alert(1)" }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, script.StatusCode);
        Assert.StartsWith("Enter a web address", Html.Parse(await script.Content.ReadAsStringAsync()).Single($"#a{activityId}-checkin-link-error").Text());

        var tomorrow = await leader.PostFormAsync(url, new() { ["Judgment"] = "OnTrack", ["Date"] = Iso(place.Today.AddDays(1)) }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, tomorrow.StatusCode);
        Assert.Equal("A check-in cannot be dated after today.", Html.Parse(await tomorrow.Content.ReadAsStringAsync()).Single($"#a{activityId}-checkin-date-error").Text());
        Assert.False(await factory.WithDbAsync(db => db.PlanCheckIns.AnyAsync(c => c.ActivityId == activityId)));
    }

    [Fact]
    public async Task A_building_member_reads_the_plan_without_forms_and_may_not_post()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (goalId, strategyId, activityId) = await BuildPlanAsync(leader, place, "Visible to buildings", null, place.Today.AddDays(40));

        var building = await factory.SignedInAsync("building1@example.org");
        var page = Html.Parse(await building.GetHtmlAsync(place.Plan));
        Assert.Contains("Visible to buildings", page.Single($"#activity-{activityId}").Text());
        Assert.Empty(page.QuerySelectorAll("main form"));

        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"{place.Plan}/goals", new() { ["Statement"] = "A building's goal" }),
            ($"{place.Plan}/goals/{goalId}/strategies", new() { ["Title"] = "A building's strategy" }),
            ($"{place.Plan}/strategies/{strategyId}/activities", new() { ["Title"] = "A building's activity" }),
            ($"{place.Plan}/activities/{activityId}/check-ins", new() { ["Judgment"] = "OffTrack", ["Date"] = Iso(place.Today) }),
        };
        foreach (var (url, fields) in posts)
            Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync(url, fields, place.Plan)).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanCheckIns.AnyAsync(c => c.ActivityId == activityId)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.PlanGoals.CountAsync(g => g.CycleId == place.CycleId)));
    }

    [Fact]
    public async Task Another_districts_plan_and_records_are_not_found()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (goalId, strategyId, activityId) = await BuildPlanAsync(leader, place, "Lakeshore only", null, place.Today.AddDays(40));

        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync(place.Plan)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{place.Plan}/activities/{activityId}/check-ins",
            new() { ["Judgment"] = "OffTrack", ["Date"] = Iso(place.Today) }, "/account/sign-in")).StatusCode);
        // Lakeshore's ids under Pine Ridge's own plan: not found, nothing written.
        var pineIds = await DemoIds.LoadAsync(factory);
        var pinePlan = $"/districts/{pineIds.PineRidge}/cycles/{pineIds.PineRidgeCycle}/plan";
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{pinePlan}/goals/{goalId}/strategies", new() { ["Title"] = "Taken over" }, pinePlan)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{pinePlan}/strategies/{strategyId}/activities", new() { ["Title"] = "Taken over" }, pinePlan)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{pinePlan}/activities/{activityId}/check-ins",
            new() { ["Judgment"] = "OffTrack", ["Date"] = Iso(place.Today) }, pinePlan)).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.PlanCheckIns.AnyAsync(c => c.ActivityId == activityId)));
        Assert.False(await factory.WithDbAsync(db => db.PlanStrategies.AnyAsync(s => s.Title == "Taken over")));
    }

    [Fact]
    public async Task The_audit_trail_records_the_new_goal_and_who_added_it()
    {
        var place = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var (goalId, _, _) = await BuildPlanAsync(member, place, "Audited", null, null);
        var (memberId, entries) = await factory.WithDbAsync(async db => (
            await db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync(),
            await db.AuditEntries.Where(a => a.EntityType == nameof(PlanGoal) && a.EntityId == goalId.ToString()).AsNoTracking().ToListAsync()));
        var statement = Assert.Single(entries, e => e.Field == nameof(PlanGoal.Statement));
        Assert.Equal("By June, 80% of third graders read at grade level (from 64%).", statement.NewValue);
        Assert.All(entries, e => Assert.Equal((memberId, (int?)place.Ids.Lakeshore), (e.UserId, e.DistrictId)));
    }
}
