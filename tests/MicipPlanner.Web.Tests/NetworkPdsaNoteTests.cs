using System.Net;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Web.Startup;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>A finished PDSA cycle's learning shared with the district's networks as a practice note, through the pages as rendered.</summary>
public sealed class NetworkPdsaNoteTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private Task<int> DemoNetworkAsync() => factory.WithDbAsync(db => db.Networks.Where(n => n.Name == DemoNetworkData.NetworkName).Select(n => n.Id).SingleAsync());

    /// <summary>A fresh cycle of Lakeshore with a goal serving the "policies" row and one PDSA cycle, decided or not.</summary>
    private async Task<(FreshCycle Fresh, int PdsaId, string ChangeIdea)> NewPdsaAsync(bool decided)
    {
        var fresh = await FreshCycle.NewAsync(factory);
        var changeIdea = $"PDSANOTE-{Guid.NewGuid():N}: a two-minute data huddle before each team meeting";
        var id = await factory.WithDbAsync(async db =>
        {
            var lakeshore = fresh.Ids.Lakeshore;
            var goal = new PlanGoal { DistrictId = lakeshore, CycleId = fresh.CycleId, Statement = "Board policy names the CI team's role.", RubricRowKeys = "policies" };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = lakeshore, CycleId = fresh.CycleId, GoalId = goal.Id, Title = "Policy review" };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new PlanActivity { DistrictId = lakeshore, CycleId = fresh.CycleId, StrategyId = strategy.Id, Title = "Team meetings" };
            db.PlanActivities.Add(activity);
            await db.SaveChangesAsync();
            var pdsa = new PdsaCycle
            {
                DistrictId = lakeshore, CycleId = fresh.CycleId, ActivityId = activity.Id, ChangeIdea = changeIdea,
                Prediction = "Meetings start on the data within five minutes.", CreatedAt = DateTimeOffset.UtcNow,
                Stage = decided ? PdsaStage.Act : PdsaStage.Do,
                Result = decided ? "Four of five meetings did; the fifth had no data ready." : "",
                Decision = decided ? PdsaDecision.Abandon : null, DecisionNote = decided ? "The huddle moved to the agenda's end." : "",
            };
            db.PdsaCycles.Add(pdsa);
            await db.SaveChangesAsync();
            return pdsa.Id;
        });
        return (fresh, id, changeIdea);
    }

    [Fact]
    public async Task The_key_leader_shares_a_finished_cycles_learning_anonymously_and_the_network_lists_it_under_its_row()
    {
        var (fresh, pdsaId, changeIdea) = await NewPdsaAsync(decided: true);
        var networkId = await DemoNetworkAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var cyclePage = Html.Parse(await leader.GetHtmlAsync($"/districts/{fresh.Ids.Lakeshore}/cycles/{fresh.CycleId}/pdsa/{pdsaId}"));
        var share = $"/districts/{fresh.Ids.Lakeshore}/practice-notes/from-pdsa/{pdsaId}";
        Assert.Contains(share, cyclePage.Hrefs());

        // The form comes filled from the cycle: its learning, under the row its goal serves.
        var page = Html.Parse(await leader.GetHtmlAsync(share));
        var form = RenderedForm.Find(page, share, ["Text", "RowKey", "IsAnonymous"]) ?? throw new InvalidOperationException("No share form.");
        var values = form.Values.ToLookup(v => v.Key, v => v.Value);
        Assert.Equal("policies", values["RowKey"].Single());
        var text = values["Text"].Single();
        Assert.Contains($"Change idea: {changeIdea}", text);
        Assert.Contains("Prediction: Meetings start on the data within five minutes.", text);
        Assert.Contains("Result: Four of five meetings did", text);
        Assert.Contains("Decision: Abandon", text);

        var response = await leader.PostAsync(form.Action, form.Set("IsAnonymous", "true").Set("ContactRole", "Director of school improvement").Content());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await factory.WithDbAsync(db => db.PracticeNotes.AsNoTracking().SingleAsync(n => n.SourcePdsaCycleId == pdsaId));
        Assert.Equal((fresh.Ids.Lakeshore, fresh.CycleId, "policies", true, false), (stored.DistrictId, stored.CycleId, stored.RowKey, stored.IsAnonymous, stored.IsProposal));
        var audited = await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(PracticeNote) && a.EntityId == stored.Id.ToString()
            && a.Action == AuditAction.Create && a.DistrictId == fresh.Ids.Lakeshore));
        Assert.True(audited);

        // Another district of the network reads it beside the other notes, marked as PDSA learning, without Lakeshore's name.
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var network = Html.Parse(await pine.GetHtmlAsync($"/networks/{networkId}"));
        var note = network.QuerySelectorAll(".practice-notes li").Single(li => li.TextContent.Contains(changeIdea));
        Assert.Contains("Learning from a PDSA cycle", note.Text());
        Assert.Contains("a network district", note.Text());
        Assert.DoesNotContain("Lakeshore", note.Text());
        Assert.True(network.QuerySelectorAll(".practice-notes li").Count() > 1, "The PDSA note is listed beside the other notes.");
        // Filterable by rubric row.
        Assert.Contains(changeIdea, await pine.GetHtmlAsync($"/networks/{networkId}?row=policies"));
        Assert.DoesNotContain(changeIdea, await pine.GetHtmlAsync($"/networks/{networkId}?row=vision"));
    }

    [Fact]
    public async Task Only_the_key_leader_shares_a_member_proposes_building_teams_and_other_districts_cannot_and_unfinished_cycles_are_not_offered()
    {
        var (fresh, pdsaId, changeIdea) = await NewPdsaAsync(decided: true);
        var networkId = await DemoNetworkAsync();
        var share = $"/districts/{fresh.Ids.Lakeshore}/practice-notes/from-pdsa/{pdsaId}";

        // A district team member's share is a proposal: the network does not see it until the key leader publishes it.
        var member = await factory.SignedInAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(share, new() { ["IsAnonymous"] = "false" })).StatusCode);
        var proposal = await factory.WithDbAsync(db => db.PracticeNotes.AsNoTracking().SingleAsync(n => n.SourcePdsaCycleId == pdsaId));
        Assert.True(proposal.IsProposal);
        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.DoesNotContain(changeIdea, await pine.GetHtmlAsync($"/networks/{networkId}"));

        var building = await factory.SignedInAsync("building1@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await building.GetAsync(share)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync(share, new() { ["RowKey"] = "policies", ["Text"] = "x" }, "/account/security")).StatusCode);
        Assert.DoesNotContain("practice-notes/from-pdsa", await building.GetHtmlAsync($"/districts/{fresh.Ids.Lakeshore}/cycles/{fresh.CycleId}/pdsa/{pdsaId}"));

        // Another district: not found, whether it asks under Lakeshore or under its own district.
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync(share)).StatusCode);
        var pineId = await factory.WithDbAsync(db => db.Districts.Where(d => d.Name == "Pine Ridge Community Schools").Select(d => d.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"/districts/{pineId}/practice-notes/from-pdsa/{pdsaId}")).StatusCode);

        // A cycle not yet decided has no learning to share.
        var (_, unfinished, _) = await NewPdsaAsync(decided: false);
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"/districts/{fresh.Ids.Lakeshore}/practice-notes/from-pdsa/{unfinished}")).StatusCode);
    }
}
