using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>The cycle dashboard's "plan at a glance", on the demo's living plan (a factory of its own, so no other test adds to it).</summary>
public sealed class PlanGlanceTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    [Fact]
    public async Task The_demo_plan_shows_every_state_and_the_dashboard_counts_them()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var dashboard = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var member = await factory.SignedInAsync("member@example.org");

        // The demo's plan: eight activities dated so every derived state shows today.
        var plan = Html.Parse(await member.GetHtmlAsync(dashboard + "/plan"));
        var states = plan.QuerySelectorAll(".activity-state").Select(e => e.Text()).ToList();
        Assert.Equal(8, states.Count);
        foreach (var state in new[] { "Not started", "On target", "Approaching", "Overdue", "Done" })
            Assert.Contains(state, states);
        Assert.Single(plan.QuerySelectorAll(".activity-stale"));

        var page = Html.Parse(await member.GetHtmlAsync(dashboard));
        Assert.Equal("8 activities: 1 overdue, 2 approaching, 3 on target, 1 not started, 1 done. 2 judged at risk or off track. "
            + "1 without a check-in for over 30 days.", page.Single(".plan-glance-summary").Text());
        Assert.Contains(dashboard + "/plan", page.Single("section[aria-labelledby=plan-glance]").Hrefs());

        // An archived goal's work is put away: its activities leave the counts.
        await factory.WithDbAsync(async db =>
        {
            var goal = await db.PlanGoals.Where(g => g.CycleId == ids.LakeshoreCycle).OrderBy(g => g.SortOrder).FirstAsync();
            goal.State = GoalState.Archived;
            await db.SaveChangesAsync();
        });
        page = Html.Parse(await member.GetHtmlAsync(dashboard));
        Assert.StartsWith("2 activities: 0 overdue, 1 approaching, 1 on target", page.Single(".plan-glance-summary").Text());
    }

    [Fact]
    public async Task A_cycle_without_a_plan_says_so_on_the_dashboard()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("pineridge@example.org");
        var page = Html.Parse(await leader.GetHtmlAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}"));
        Assert.StartsWith("No activities in the plan yet.", page.Single(".plan-glance-empty").Text());
        Assert.Null(page.QuerySelector(".plan-glance-summary"));
    }
}

/// <summary>The district's own windows for "approaching" and "no check-in for …", set on Edit district (a factory of its own: it changes Lakeshore).</summary>
public sealed class PlanWindowsTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    [Fact]
    public async Task The_key_leader_sets_the_windows_on_edit_district_and_the_plan_and_dashboard_follow_them()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var edit = $"/districts/{ids.Lakeshore}/edit";
        var dashboard = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        var leader = await factory.SignedInAsync("leader@example.org");

        var form = RenderedForm.Find(Html.Parse(await leader.GetHtmlAsync(edit)), edit, [])!;
        string Offered(string name) => form.Values.Single(v => v.Key == name).Value;
        Assert.Equal(("14", "30"), (Offered("PlanApproachingDays"), Offered("PlanStaleAfterDays")));

        // Out of range: refused next to the field, nothing saved.
        var refused = await leader.PostFormAsync(edit, new() { ["PlanStaleAfterDays"] = "2" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Enter a number of days from 7 to 180.", Html.Parse(await refused.Content.ReadAsStringAsync()).Single("#PlanStaleAfterDays-error").Text());

        // Approaching within 3 days: the demo's activities due in 5 and 10 days are on target now. Stale after 60 days:
        // the walkthroughs last looked at 42 days ago are no longer flagged.
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(edit, new() { ["PlanApproachingDays"] = "3", ["PlanStaleAfterDays"] = "60" })).StatusCode);
        Assert.Equal((3, 60), await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.Lakeshore)
            .Select(d => new ValueTuple<int, int>(d.PlanApproachingDays, d.PlanStaleAfterDays)).SingleAsync()));

        var plan = Html.Parse(await leader.GetHtmlAsync(dashboard + "/plan"));
        Assert.DoesNotContain("Approaching", plan.QuerySelectorAll(".activity-state").Select(e => e.Text()));
        Assert.Empty(plan.QuerySelectorAll(".activity-stale"));
        var page = Html.Parse(await leader.GetHtmlAsync(dashboard));
        Assert.Equal("8 activities: 1 overdue, 0 approaching, 5 on target, 1 not started, 1 done. 2 judged at risk or off track.",
            page.Single(".plan-glance-summary").Text());
    }
}
