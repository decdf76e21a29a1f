using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

public sealed class RubricTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private Task<(int District, int Cycle, int WholeTeam)> NewCycleAsync() => RubricCycles.NewLakeshoreCycleAsync(factory);

    private static string RowUrl(int d, int c, int g, string row) => RubricCycles.RowUrl(d, c, g, row);

    [Fact]
    public async Task Rating_and_evidence_are_saved_and_shown_with_the_descriptors_verbatim()
    {
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var page = await member.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric");
        Assert.Contains("Collaborative routines are vague.", page);
        Assert.Contains("start at", page);

        var response = await member.PostFormAsync(RowUrl(d, c, g, "routines"), new() { ["Level"] = "2", ["Evidence"] = "Meeting notes show no shared agenda.", ["Version"] = "" },
            formPage: $"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var stored = await factory.WithDbAsync(db => db.RubricRatings.SingleAsync(r => r.RatingGroupId == g && r.RowKey == "routines"));
        Assert.Equal(2, stored.Level);
        Assert.Equal("Meeting notes show no shared agenda.", stored.Evidence);
        var after = await member.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric");
        Assert.Contains("Meeting notes show no shared agenda.", after);
        Assert.Contains("Morgan Member", after);
    }

    [Fact]
    public async Task Autosave_answers_json_with_the_new_version()
    {
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var token = await member.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        var request = new HttpRequestMessage(HttpMethod.Post, RowUrl(d, c, g, "vision"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Level"] = "3", ["Evidence"] = "Survey 2026", ["Version"] = "" }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add("Accept", "application/json");
        var response = await member.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("saved").GetBoolean());
        var version = json.RootElement.GetProperty("version").GetGuid();
        Assert.Equal(version, await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == g && r.RowKey == "vision").Select(r => r.Version).SingleAsync()));

        // Other members' changes come through the polling endpoint.
        var leader = await factory.SignedInAsync("leader@example.org");
        var changes = await leader.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric/groups/{g}/changes?since=0");
        Assert.Contains("Survey 2026", changes);
        Assert.Contains("Morgan Member", changes);
    }

    [Fact]
    public async Task Two_stale_saves_the_second_gets_a_conflict_showing_the_first_and_nothing_is_lost()
    {
        var (d, c, g) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var first = await leader.PostFormAsync(RowUrl(d, c, g, "plans"), new() { ["Level"] = "1", ["Evidence"] = "First draft" }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var v1 = await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == g && r.RowKey == "plans").Select(r => r.Version).SingleAsync());

        // Both open the row at version v1, then both save.
        var leaderSave = await leader.PostFormAsync(RowUrl(d, c, g, "plans"), new() { ["Level"] = "2", ["Evidence"] = "Leader: plans are combined", ["Version"] = v1.ToString() }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, leaderSave.StatusCode);
        var memberSave = await member.PostFormAsync(RowUrl(d, c, g, "plans"), new() { ["Level"] = "3", ["Evidence"] = "Member: developed separately", ["Version"] = v1.ToString() }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Conflict, memberSave.StatusCode);
        var html = await memberSave.Content.ReadAsStringAsync();
        Assert.Contains("Lee Leader saved this row while you were editing", html);
        Assert.Contains("Leader: plans are combined", html);
        Assert.Contains("Member: developed separately", html);   // the member's own text is kept in the form

        var stored = await factory.WithDbAsync(db => db.RubricRatings.AsNoTracking().SingleAsync(r => r.RatingGroupId == g && r.RowKey == "plans"));
        Assert.Equal("Leader: plans are combined", stored.Evidence);

        // "Keep mine" resubmits with the version the conflict showed.
        var keep = await member.PostFormAsync(RowUrl(d, c, g, "plans"), new() { ["Level"] = "3", ["Evidence"] = "Member: developed separately", ["Version"] = stored.Version.ToString() }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, keep.StatusCode);
        Assert.Equal("Member: developed separately", await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == g && r.RowKey == "plans").Select(r => r.Evidence).SingleAsync()));
    }

    [Fact]
    public async Task Building_member_can_read_but_not_rate_and_another_district_gets_404()
    {
        var (d, c, g) = await NewCycleAsync();
        var building = await factory.SignedInAsync("building1@example.org");
        var page = await building.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric");
        Assert.Contains("You can read the ratings", page);
        var token = await building.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        var write = await building.PostAsync(RowUrl(d, c, g, "vision"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Level"] = "4", ["Evidence"] = "x", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);

        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"/districts/{d}/cycles/{c}/rubric")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"/districts/{d}/cycles/{c}/rubric/compare")).StatusCode);
        var pineToken = await pine.AntiforgeryTokenAsync("/");
        var pineWrite = await pine.PostAsync(RowUrl(d, c, g, "vision"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Level"] = "4", ["__RequestVerificationToken"] = pineToken,
        }));
        Assert.Equal(HttpStatusCode.NotFound, pineWrite.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RatingGroupId == g && r.RowKey == "vision")));
    }

    [Fact]
    public async Task A_group_of_another_cycle_cannot_be_written_through_this_cycle()
    {
        var (d, c, _) = await NewCycleAsync();
        var ids = await DemoIds.LoadAsync(factory);
        var otherGroup = await factory.WithDbAsync(db => db.RatingGroups.Where(x => x.CycleId == ids.PineRidgeCycle).Select(x => x.Id).SingleAsync());
        var leader = await factory.SignedInAsync("leader@example.org");
        var response = await leader.PostUnofferedAsync(RowUrl(d, c, otherGroup, "vision"), new() { ["Level"] = "2" }, $"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("0", "Choose the consensus level")]
    [InlineData("5", "Choose the consensus level")]
    [InlineData("x", "“x” is not a valid choice here.")]
    [InlineData("", "Choose the consensus level")]
    public async Task Consensus_requires_one_of_the_four_levels(string level, string message)
    {
        var (d, c, _) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var response = await leader.PostFormAsync($"/districts/{d}/cycles/{c}/rubric/consensus/vision", new() { ["Level"] = level, ["Rationale"] = "Because" },
            formPage: $"/districts/{d}/cycles/{c}/rubric/compare");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(message), await response.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.ConsensusRatings.AnyAsync(x => x.CycleId == c)));
    }

    [Fact]
    public async Task Only_key_leader_or_facilitator_records_consensus()
    {
        var (d, c, _) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var response = await member.PostUnofferedAsync($"/districts/{d}/cycles/{c}/rubric/consensus/vision", new() { ["Level"] = "2" }, $"/districts/{d}/cycles/{c}/rubric/compare");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Finalizing_needs_every_consensus_then_locks_ratings_until_reopened()
    {
        var (d, c, g) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var compare = $"/districts/{d}/cycles/{c}/rubric/compare";

        // The page does not offer it yet (the button is disabled, the missing rows named); a forced post is refused too.
        var finalize = Html.Parse(await leader.GetHtmlAsync(compare)).Form($"/districts/{d}/cycles/{c}/rubric/finalize");
        Assert.True(finalize.QuerySelector("button[type=submit]")!.HasAttribute("disabled"));
        var early = await leader.PostUnofferedAsync($"/districts/{d}/cycles/{c}/rubric/finalize", new(), compare);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("Missing: Vision, mission and beliefs", await early.Content.ReadAsStringAsync());

        foreach (var row in new[] { "vision", "policies", "routines", "goal-setting", "plans", "decisions" })
        {
            var saved = await leader.PostFormAsync($"/districts/{d}/cycles/{c}/rubric/consensus/{row}", new() { ["Level"] = "2", ["Rationale"] = "Agreed" }, formPage: compare);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"/districts/{d}/cycles/{c}/rubric/finalize", new(), formPage: compare)).StatusCode);

        var locked = await leader.PostUnofferedAsync(RowUrl(d, c, g, "vision"), new() { ["Level"] = "4", ["Evidence"] = "late change" }, compare);
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("finalized", await locked.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RatingGroupId == g && r.RowKey == "vision")));
        var lockedConsensus = await leader.PostUnofferedAsync($"/districts/{d}/cycles/{c}/rubric/consensus/vision", new() { ["Level"] = "4" }, compare);
        Assert.Equal(HttpStatusCode.Conflict, lockedConsensus.StatusCode);

        // Reopening needs the confirmation and is audited.
        Assert.Equal(HttpStatusCode.BadRequest, (await leader.PostFormAsync($"/districts/{d}/cycles/{c}/rubric/reopen", new(), formPage: compare)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"/districts/{d}/cycles/{c}/rubric/reopen", new() { ["confirm"] = "true" }, formPage: compare)).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == "Cycle" && a.EntityId == c.ToString() && a.Field == "RubricFinalizedAt" && a.NewValue == null)));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(RowUrl(d, c, g, "vision"), new() { ["Level"] = "4", ["Evidence"] = "after reopening" }, formPage: RubricCycles.PageOf(d, c, g))).StatusCode);
    }

    [Fact]
    public async Task Comparison_flags_a_two_level_disagreement_in_the_demo_data()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var html = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric/compare");
        var page = Html.Parse(html);
        Assert.Contains("Groups differ by 2 levels", page.Single("section#consensus-routines").Text());
        Assert.DoesNotContain("Groups differ by", page.Single("section#consensus-vision").Text());
        Assert.Contains("<svg", html);
        Assert.Contains("role=\"img\"", html);
        Assert.Contains("Heat map as a table", html);
    }

    [Fact]
    public async Task Evidence_over_the_limit_is_refused_with_a_message_and_script_is_shown_as_text()
    {
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var tooLong = await member.PostFormAsync(RowUrl(d, c, g, "decisions"), new() { ["Level"] = "2", ["Evidence"] = new string('e', 10_001) },
            formPage: $"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Evidence is limited to 8,000 characters; this has 10,001", await tooLong.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RatingGroupId == g && r.RowKey == "decisions")));

        var empty = await member.PostFormAsync(RowUrl(d, c, g, "decisions"), new() { ["Level"] = "", ["Evidence"] = "   " }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Choose a level or write some evidence", await empty.Content.ReadAsStringAsync());

        var script = await member.PostFormAsync(RowUrl(d, c, g, "decisions"), new() { ["Level"] = "3", ["Evidence"] = "<script>alert('x')</script> & <b>bold</b>" }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, script.StatusCode);
        var page = await member.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric");
        Assert.DoesNotContain("<script>alert('x')</script>", page);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", page);
    }

    [Fact]
    public async Task History_shows_consensus_across_two_cycles()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await factory.WithDbAsync(async db =>
        {
            if (!await db.ConsensusRatings.AnyAsync(x => x.CycleId == ids.LakeshoreCycle && x.RowKey == "vision"))
            {
                db.ConsensusRatings.Add(new ConsensusRating { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, RowKey = "vision", Level = 3, Rationale = "moved right" });
                await db.SaveChangesAsync();
            }
        });
        var leader = await factory.SignedInAsync("leader@example.org");
        var html = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/rubric/history");
        var years = await factory.WithDbAsync(db => db.Cycles.Where(x => x.DistrictId == ids.Lakeshore).OrderBy(x => x.StartYear).Select(x => x.StartYear).ToListAsync());
        Assert.Contains(SchoolYears.Format(years[0]), html);
        Assert.Contains(SchoolYears.Format(years[1]), html);
        var visionRow = Html.Parse(html).Row("Vision, mission and beliefs").Cells();
        Assert.Contains("1. Beginning (Individualistic)", visionRow);
        Assert.Contains("3. Evolving", visionRow);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public async Task Action_items_are_created_with_owner_and_due_date_and_overdue_ones_are_flagged()
    {
        var (d, c, _) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var memberId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        var created = await leader.PostFormAsync($"/districts/{d}/cycles/{c}/actions", new()
        {
            ["Title"] = "Publish the CI meeting calendar", ["OwnerUserId"] = memberId, ["DueDate"] = "2020-01-15", ["Status"] = "NotStarted",
        }, formPage: $"/districts/{d}/cycles/{c}/actions");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await leader.GetHtmlAsync($"/districts/{d}/cycles/{c}/actions?show=overdue");
        Assert.Contains("Publish the CI meeting calendar", page);
        Assert.Contains("Overdue", page);
        var dashboard = await leader.GetHtmlAsync($"/districts/{d}/cycles/{c}");
        Assert.Contains("1 overdue", dashboard);

        var outsider = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "pineridge@example.org").Select(u => u.Id).SingleAsync());
        var badOwner = await leader.PostFormAsync($"/districts/{d}/cycles/{c}/actions", new() { ["Title"] = "Owned by a stranger", ["OwnerUserId"] = outsider, ["Status"] = "NotStarted" });
        Assert.Equal(HttpStatusCode.BadRequest, badOwner.StatusCode);
        Assert.Contains("Choose an owner from the district", await badOwner.Content.ReadAsStringAsync());
        var badStatus = await leader.PostFormAsync($"/districts/{d}/cycles/{c}/actions", new() { ["Title"] = "Bad status", ["Status"] = "99" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    [Fact]
    public async Task Leader_adds_a_small_group_with_members_and_the_whole_team_cannot_be_deleted()
    {
        var (d, c, wholeTeam) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var memberId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        var groups = $"/districts/{d}/cycles/{c}/rubric/groups";
        var added = await leader.PostFormAsync(groups, new() { ["Name"] = "Group C", ["MemberIds"] = memberId });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var group = await factory.WithDbAsync(db => db.RatingGroups.Include(x => x.Members).SingleAsync(x => x.CycleId == c && x.Name == "Group C"));
        Assert.Equal(memberId, Assert.Single(group.Members).UserId);

        var duplicate = await leader.PostFormAsync(groups, new() { ["Name"] = "Group C" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await leader.PostUnofferedAsync($"{groups}/{wholeTeam}/delete", new() { ["confirm"] = "true" }, groups)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await factory.SignedInAsync("member@example.org")).GetAsync(groups)).StatusCode);

        // The member now opens the rubric in their own group first.
        var member = await factory.SignedInAsync("member@example.org");
        Assert.Contains("rating as <strong>Group C</strong>", await member.GetHtmlAsync($"/districts/{d}/cycles/{c}/rubric"));
    }

    [Fact]
    public async Task Activity_1_examples_and_learner_outcome_choices_are_saved()
    {
        var (d, c, _) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var url = $"/districts/{d}/cycles/{c}/activity-1";
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync($"{url}/examples", new() { ["ConsequenceKey"] = "incomplete-data", ["Description"] = "Two buildings used different reading screeners." }, formPage: url)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await member.PostFormAsync($"{url}/examples", new() { ["ConsequenceKey"] = "not-a-key", ["Description"] = "x" }, formPage: url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync($"{url}/reflection", new() { ["OutcomeNumber"] = "2", ["Why"] = "Balance of roles is our gap." }, formPage: url)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await member.PostFormAsync($"{url}/reflection", new() { ["OutcomeNumber"] = "7" }, formPage: url)).StatusCode);
        var html = await member.GetHtmlAsync(url);
        Assert.Contains("Two buildings used different reading screeners.", html);
        Assert.Contains("Balance of roles is our gap.", html);
        Assert.Equal(2, await factory.WithDbAsync(db => db.OutcomeReflections.Where(r => r.CycleId == c).Select(r => r.OutcomeNumber).SingleAsync()));
    }
}
