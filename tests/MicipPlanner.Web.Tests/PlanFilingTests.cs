using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The plan grows from the toolkit's work and changes through the year: buildings involved in an activity, action items
/// filed as activities in one step, a goal's state and an activity's owner and dates changed under optimistic concurrency.
/// </summary>
public sealed class PlanFilingTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private sealed record Place(DemoIds Ids, int CycleId, DateOnly Today, string LeaderId)
    {
        public string Root => $"/districts/{Ids.Lakeshore}/cycles/{CycleId}";
        public string Plan => Root + "/plan";
        public string Actions => Root + "/actions";
    }

    private async Task<Place> NewCycleAsync()
    {
        var fresh = await FreshCycle.NewAsync(factory);
        var leader = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync());
        return new Place(fresh.Ids, fresh.CycleId, fresh.Today, leader);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    /// <summary>A goal and a strategy under it, through the page's forms.</summary>
    private async Task<(int Goal, int Strategy)> GoalAndStrategyAsync(HttpClient client, Place place, string strategyTitle = "Literacy coaching")
    {
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(place.Plan + "/goals", new()
        {
            ["Statement"] = "By June, 80% of third graders read at grade level.",
        }, place.Plan)).StatusCode);
        var goal = await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.CycleId == place.CycleId).MaxAsync(g => g.Id));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{place.Plan}/goals/{goal}/strategies", new() { ["Title"] = strategyTitle }, place.Plan)).StatusCode);
        var strategy = await factory.WithDbAsync(db => db.PlanStrategies.Where(s => s.GoalId == goal).MaxAsync(s => s.Id));
        return (goal, strategy);
    }

    /// <summary>An action item added on the action items page, as the team does in the rubric discussion.</summary>
    private async Task<int> ActionItemAsync(HttpClient client, Place place, string title, DateOnly? due)
    {
        var fields = new Dictionary<string, string> { ["Title"] = title, ["OwnerUserId"] = place.LeaderId };
        if (due is { } d) fields["DueDate"] = Iso(d);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(place.Actions, fields, place.Actions)).StatusCode);
        return await factory.WithDbAsync(db => db.ActionItems.Where(a => a.CycleId == place.CycleId).MaxAsync(a => a.Id));
    }

    private async Task<int> NewestActivityAsync(int strategyId) =>
        await factory.WithDbAsync(db => db.PlanActivities.Where(a => a.StrategyId == strategyId).MaxAsync(a => a.Id));

    [Fact]
    public async Task An_activity_for_some_buildings_records_and_shows_them()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, strategy) = await GoalAndStrategyAsync(leader, place);
        var url = $"{place.Plan}/strategies/{strategy}/activities";
        var (first, third) = (place.Ids.LakeshoreBuildings[0], place.Ids.LakeshoreBuildings[2]);

        // "All buildings" is ticked as the form opens; the team clears it and ticks two buildings.
        var form = RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync(place.Plan)), url, ["Title", "BuildingIds"])!;
        Assert.Contains(form.Values, v => v.Key == "AllBuildings" && v.Value == "true");
        form.Set("Title", "Walkthroughs in two schools").Set("AllBuildings", "false").Set("BuildingIds", first.ToString()).Set("BuildingIds", third.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(url, form.Content())).StatusCode);

        var activity = await NewestActivityAsync(strategy);
        var (all, stored, names) = await factory.WithDbAsync(async db => (
            await db.PlanActivities.Where(a => a.Id == activity).Select(a => a.AllBuildings).SingleAsync(),
            await db.PlanActivityBuildings.Where(b => b.ActivityId == activity).OrderBy(b => b.BuildingId).Select(b => b.BuildingId).ToListAsync(),
            await db.Buildings.Where(b => b.Id == first || b.Id == third).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync()));
        Assert.False(all);
        Assert.Equal(new[] { first, third }.Order(), stored);
        var shown = Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#activity-{activity} .activity-buildings").Text();
        Assert.Equal("Buildings involved: " + string.Join(", ", names), shown);

        // With "all buildings" left ticked, the activity says so and lists none.
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(url, new() { ["Title"] = "Everyone" }, place.Plan)).StatusCode);
        var everyone = await NewestActivityAsync(strategy);
        Assert.Equal("Buildings involved: all buildings",
            Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#activity-{everyone} .activity-buildings").Text());
    }

    [Fact]
    public async Task A_building_of_another_district_or_none_at_all_is_refused_next_to_the_field()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, strategy) = await GoalAndStrategyAsync(leader, place);
        var url = $"{place.Plan}/strategies/{strategy}/activities";
        var pineBuilding = await factory.WithDbAsync(db => db.Buildings.Where(b => b.DistrictId == place.Ids.PineRidge).Select(b => b.Id).FirstAsync());

        // No page offers another district's building: the request is forged.
        var foreign = await leader.PostUnofferedAsync(url, new() { ["Title"] = "Sneaky", ["BuildingIds"] = pineBuilding.ToString() }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var page = Html.Parse(await foreign.Content.ReadAsStringAsync());
        Assert.Equal("Choose buildings of the district.", page.Single($"#s{strategy}-activity-buildings-error").Text());
        Assert.Equal("Sneaky", page.Single($"#s{strategy}-activity-title").GetAttribute("value"));

        // Clearing "all buildings" and choosing none is a slip the form points out.
        var none = await leader.PostFormAsync(url, new() { ["Title"] = "Nobody", ["AllBuildings"] = "false" }, place.Plan);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("Choose the buildings that take part, or tick all buildings.",
            Html.Parse(await none.Content.ReadAsStringAsync()).Single($"#s{strategy}-activity-buildings-error").Text());
        Assert.False(await factory.WithDbAsync(db => db.PlanActivities.AnyAsync(a => a.StrategyId == strategy)));
        Assert.False(await factory.WithDbAsync(db => db.PlanActivityBuildings.AnyAsync(b => b.BuildingId == pineBuilding)));
    }

    [Fact]
    public async Task An_action_item_is_filed_as_an_activity_in_one_step_and_stays_linked_to_it()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, strategy) = await GoalAndStrategyAsync(leader, place);
        var due = place.Today.AddDays(40);
        var item = await ActionItemAsync(leader, place, "Set up a data wall in every school", due);
        var before = await factory.WithDbAsync(db => db.ActionItems.AsNoTracking().SingleAsync(a => a.Id == item));

        // The item waits under "Not yet in the plan", with a form to file it.
        var page = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        Assert.Contains("Set up a data wall in every school", page.Single($"#unfiled-{item}").Text());
        var url = $"{place.Plan}/action-items/{item}/file";
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(url, new() { ["StrategyId"] = strategy.ToString() }, place.Plan)).StatusCode);

        var activity = await factory.WithDbAsync(db => db.PlanActivities.AsNoTracking().SingleAsync(a => a.StrategyId == strategy));
        Assert.Equal(("Set up a data wall in every school", (int?)item, place.LeaderId, (DateOnly?)due, true),
            (activity.Title, activity.SourceActionItemId, activity.OwnerUserId, activity.DueDate, activity.AllBuildings));
        // Nothing of the action item changed: it keeps its history.
        var after = await factory.WithDbAsync(db => db.ActionItems.AsNoTracking().SingleAsync(a => a.Id == item));
        Assert.Equal((before.Version, before.Title, before.Status), (after.Version, after.Title, after.Status));

        page = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        Assert.Null(page.QuerySelector($"#unfiled-{item}"));
        var shown = page.Single($"#activity-{activity.Id}");
        Assert.Contains("Set up a data wall in every school", shown.Single("h4").Text());
        Assert.Equal($"/districts/{place.Ids.Lakeshore}/cycles/{place.CycleId}/actions#action-{item}", shown.Single(".activity-source a").GetAttribute("href"));

        // The action items page says where it went, with a link.
        var link = Html.Parse(await leader.GetHtmlAsync(place.Actions)).Single($"#action-{item} .action-in-plan a");
        Assert.Equal("Set up a data wall in every school", link.Text());
        Assert.Equal($"{place.Plan}#activity-{activity.Id}", link.GetAttribute("href"));
    }

    [Fact]
    public async Task Filing_the_same_action_item_twice_is_refused_next_to_the_field()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (_, strategy) = await GoalAndStrategyAsync(leader, place, "First strategy");
        var (_, other) = await GoalAndStrategyAsync(leader, place, "Second strategy");
        var item = await ActionItemAsync(leader, place, "Monthly data meetings", null);
        var url = $"{place.Plan}/action-items/{item}/file";

        // Two tabs open on the plan: the same rendered form is sent from each.
        var form = RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync(place.Plan)), url, ["StrategyId"])!;
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(url, form.Copy().Set("StrategyId", strategy.ToString()).Content())).StatusCode);
        var again = await leader.PostAsync(url, form.Copy().Set("StrategyId", other.ToString()).Content());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("This action item is already in the plan, as the activity “Monthly data meetings”.",
            Html.Parse(await again.Content.ReadAsStringAsync()).Single($"#unfiled-{item}-strategy-error").Text());
        Assert.Equal(1, await factory.WithDbAsync(db => db.PlanActivities.CountAsync(a => a.SourceActionItemId == item)));
    }

    [Fact]
    public async Task Another_districts_action_item_or_strategy_is_not_found_and_a_building_team_may_not_file_or_edit()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (goal, strategy) = await GoalAndStrategyAsync(leader, place);
        var item = await ActionItemAsync(leader, place, "Lakeshore's own item", null);
        var (pineItem, pineStrategy) = await factory.WithDbAsync(async db =>
        {
            var pineItem = new ActionItem { DistrictId = place.Ids.PineRidge, CycleId = place.Ids.PineRidgeCycle, Title = "Pine Ridge's item", CreatedByUserId = "" };
            var pineGoal = new PlanGoal { DistrictId = place.Ids.PineRidge, CycleId = place.Ids.PineRidgeCycle, Statement = "Pine Ridge's goal" };
            db.AddRange(pineItem, pineGoal);
            await db.SaveChangesAsync();
            var pineStrategy = new PlanStrategy { DistrictId = place.Ids.PineRidge, CycleId = place.Ids.PineRidgeCycle, GoalId = pineGoal.Id, Title = "Pine Ridge's strategy" };
            db.PlanStrategies.Add(pineStrategy);
            await db.SaveChangesAsync();
            return (pineItem.Id, pineStrategy.Id);
        });

        Assert.Equal(HttpStatusCode.NotFound, (await leader.PostUnofferedAsync($"{place.Plan}/action-items/{pineItem}/file",
            new() { ["StrategyId"] = strategy.ToString() }, place.Plan)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.PostUnofferedAsync($"{place.Plan}/action-items/{item}/file",
            new() { ["StrategyId"] = pineStrategy.ToString() }, place.Plan)).StatusCode);
        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pine.PostUnofferedAsync($"{place.Plan}/action-items/{item}/file",
            new() { ["StrategyId"] = strategy.ToString() }, "/account/sign-in")).StatusCode);

        var building = await factory.SignedInAsync("building1@example.org");
        var page = Html.Parse(await building.GetHtmlAsync(place.Plan));
        Assert.Contains("Lakeshore's own item", page.Single($"#unfiled-{item}").Text());
        Assert.Empty(page.QuerySelectorAll("main form"));
        var version = await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.Id == goal).Select(g => g.Version).SingleAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{place.Plan}/action-items/{item}/file",
            new() { ["StrategyId"] = strategy.ToString() }, place.Plan)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{place.Plan}/goals/{goal}/state",
            new() { ["State"] = "Archived", ["Version"] = version.ToString() }, place.Plan)).StatusCode);

        Assert.False(await factory.WithDbAsync(db => db.PlanActivities.AnyAsync(a => a.SourceActionItemId == item || a.SourceActionItemId == pineItem)));
        Assert.Equal(GoalState.Active, await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.Id == goal).Select(g => g.State).SingleAsync()));
    }

    [Fact]
    public async Task An_archived_goal_collapses_into_the_archived_section_and_an_activity_is_marked_done()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var (goal, strategy) = await GoalAndStrategyAsync(leader, place);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/strategies/{strategy}/activities",
            new() { ["Title"] = "Coach visits", ["StartDate"] = Iso(place.Today.AddDays(-30)), ["DueDate"] = Iso(place.Today.AddDays(-2)) }, place.Plan)).StatusCode);
        var activity = await NewestActivityAsync(strategy);
        Assert.Equal("Overdue", Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#activity-{activity} .activity-state").Text());

        // The work was done yesterday and the owner changes: the edit form opens with the stored values.
        var edit = $"{place.Plan}/activities/{activity}";
        var member = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(edit,
            new() { ["DoneDate"] = Iso(place.Today.AddDays(-1)), ["OwnerUserId"] = member }, place.Plan)).StatusCode);
        var stored = await factory.WithDbAsync(db => db.PlanActivities.AsNoTracking().SingleAsync(a => a.Id == activity));
        Assert.Equal((place.Today.AddDays(-30), place.Today.AddDays(-2), place.Today.AddDays(-1), member),
            (stored.StartDate!.Value, stored.DueDate!.Value, stored.DoneDate!.Value, stored.OwnerUserId));
        Assert.Equal("Done", Html.Parse(await leader.GetHtmlAsync(place.Plan)).Single($"#activity-{activity} .activity-state").Text());

        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/goals/{goal}/state",
            new() { ["State"] = nameof(GoalState.Archived) }, place.Plan)).StatusCode);
        var page = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        Assert.NotNull(page.Single(".plan-archived > details").QuerySelector($"#goal-{goal}"));
        Assert.Equal(GoalState.Archived, await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.Id == goal).Select(g => g.State).SingleAsync()));
        // An archived goal's strategies take no more filings.
        await ActionItemAsync(leader, place, "Waits for an open goal", null);
        Assert.DoesNotContain(Html.Parse(await leader.GetHtmlAsync(place.Plan)).QuerySelectorAll("select[name=StrategyId] option"),
            o => o.GetAttribute("value") == strategy.ToString());
    }

    [Fact]
    public async Task Concurrent_edits_of_one_activity_or_goal_answer_409_and_the_first_save_is_kept()
    {
        var place = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var (goal, strategy) = await GoalAndStrategyAsync(leader, place);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{place.Plan}/strategies/{strategy}/activities",
            new() { ["Title"] = "Family nights", ["DueDate"] = Iso(place.Today.AddDays(60)) }, place.Plan)).StatusCode);
        var activity = await NewestActivityAsync(strategy);
        var edit = $"{place.Plan}/activities/{activity}";
        var state = $"{place.Plan}/goals/{goal}/state";

        // Both open the plan; the leader saves first, the member's form still carries the version it was shown with.
        var leaderPage = Html.Parse(await leader.GetHtmlAsync(place.Plan));
        var memberPage = Html.Parse(await member.GetHtmlAsync(place.Plan));
        var first = RenderedForm.Find(leaderPage, edit, ["DueDate"])!.Set("DueDate", Iso(place.Today.AddDays(30)));
        var second = RenderedForm.Find(memberPage, edit, ["DueDate"])!.Set("DueDate", Iso(place.Today.AddDays(90)));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(edit, first.Content())).StatusCode);
        var lost = await member.PostAsync(edit, second.Content());
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        var conflictPage = Html.Parse(await lost.Content.ReadAsStringAsync());
        Assert.Contains("Someone else changed this while you were editing", conflictPage.Single("[role=alert].alert-danger").Text());
        // The page shown again carries the leader's date, ready for the member to decide again.
        Assert.Equal(Iso(place.Today.AddDays(30)), conflictPage.Single($"#a{activity}-edit-due").GetAttribute("value"));
        Assert.Equal(place.Today.AddDays(30), await factory.WithDbAsync(db => db.PlanActivities.Where(a => a.Id == activity).Select(a => a.DueDate!.Value).SingleAsync()));

        var firstState = RenderedForm.Find(leaderPage, state, ["State"])!.Set("State", nameof(GoalState.Maintenance));
        var secondState = RenderedForm.Find(memberPage, state, ["State"])!.Set("State", nameof(GoalState.Archived));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync(state, firstState.Content())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await member.PostAsync(state, secondState.Content())).StatusCode);
        Assert.Equal(GoalState.Maintenance, await factory.WithDbAsync(db => db.PlanGoals.Where(g => g.Id == goal).Select(g => g.State).SingleAsync()));
    }

    [Fact]
    public async Task The_templates_next_actions_are_listed_read_only_under_not_yet_in_the_plan()
    {
        var place = await NewCycleAsync();
        await factory.WithDbAsync(async db =>
        {
            var template = new Domain.Balance.BalanceTemplate { DistrictId = place.Ids.Lakeshore, CycleId = place.CycleId, BuildingId = place.Ids.LakeshoreBuildings[0] };
            db.BalanceTemplates.Add(template);
            await db.SaveChangesAsync();
            db.BalanceTemplateItems.Add(new Domain.Balance.BalanceTemplateItem
            {
                DistrictId = place.Ids.Lakeshore, TemplateId = template.Id, RowNumber = 6, Function = Domain.Balance.BalanceFunction.Building,
                Status = Domain.Balance.FunctionStatus.NeedsToBeCreated, NextAction = "<b>Collect walkthrough data monthly</b>", Owner = "Principal",
            });
            await db.SaveChangesAsync();
            return 0;
        });
        var page = Html.Parse(await (await factory.SignedInAsync("leader@example.org")).GetHtmlAsync(place.Plan));
        var row = page.Single(".template-next-actions tbody tr");
        Assert.Contains("<b>Collect walkthrough data monthly</b>", row.Text());
        Assert.Null(row.QuerySelector("b"));
        Assert.Null(row.QuerySelector("form"));
    }
}
