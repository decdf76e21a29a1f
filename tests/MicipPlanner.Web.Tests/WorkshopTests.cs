using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests;

/// <summary>Workshop mode end to end: start, join by code, take part, the presenter's tally, removal, ending, the audit trail.</summary>
public sealed class WorkshopTests(MicipWebFactory factory, ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [Fact]
    public async Task Start_join_rate_tally_end_and_the_code_is_refused_afterwards()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick, "Red table", "Blue table");
        Assert.Matches("^[34679ACDEFGHJKMNPQRTWXY]{6}$", workshop.Code);

        var presenter = await leader.GetHtmlAsync(workshop.Root);
        Assert.Contains(WorkshopCodes.Display(workshop.Code), presenter);
        Assert.Contains("src=\"data:image/svg", presenter); // the QR code for the projector, drawn on the server

        // Typed in lower case with a dash, as people do.
        var typed = (workshop.Code[..3] + "-" + workshop.Code[3..]).ToLowerInvariant();
        var alice = await WorkshopSessions.JoinAsync(factory, typed, "Alice", workshop.GroupIds[0]);
        var page = await alice.GetHtmlAsync("/join/workshop");
        Assert.Contains("Welcome, Alice", page);

        // Rating waits until the facilitator opens Activity 2.
        var token = await alice.AntiforgeryTokenAsync("/join"); // the waiting page has no form of its own
        var early = await alice.PostAsync("/join/workshop/rows/vision", Form(token, ("Level", "3"), ("Evidence", "Too early")));
        Assert.Equal(HttpStatusCode.Redirect, early.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.RubricRatings.CountAsync(r => r.RatingGroupId == workshop.GroupIds[0])));

        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity2);
        var state = JsonDocument.Parse(await alice.GetStringAsync($"/join/workshop/poll?step=Arrival&group={workshop.GroupIds[0]}&since=0")).RootElement;
        Assert.Equal("Activity2", state.GetProperty("step").GetString());
        page = await alice.GetHtmlAsync("/join/workshop");
        Assert.Contains("rate the rubric as Red table", page);

        alice.DefaultRequestHeaders.Add("Accept", "application/json");
        var saved = await alice.PostAsync("/join/workshop/rows/vision", Form(TestClient.TokenIn(page), ("Level", "3"), ("Evidence", "Posters in every school")));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True(JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("saved").GetBoolean());

        // The record is the cycle's real rating of that group, attributed to the participant by name.
        var stored = await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == workshop.GroupIds[0] && r.RowKey == "vision")
            .Select(r => new { r.Level, r.Evidence, By = db.Users.Where(u => u.Id == r.UpdatedByUserId).Select(u => u.DisplayName).First() }).SingleAsync());
        Assert.Equal((3, "Posters in every school", "Alice"), (stored.Level, stored.Evidence, stored.By));
        Assert.Contains("Alice", await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric?group={workshop.GroupIds[0]}"));

        // The presenter's poll shows it in the heat map.
        var tally = JsonDocument.Parse(await leader.GetStringAsync($"{workshop.Root}/state")).RootElement;
        var vision = tally.GetProperty("heat").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "vision");
        Assert.Equal(1, vision.GetProperty("counts")[2].GetInt32());
        Assert.Equal(1, tally.GetProperty("participants").GetInt32());
        // Polling again with the version it was given answers "unchanged" without the tally.
        var unchanged = JsonDocument.Parse(await leader.GetStringAsync($"{workshop.Root}/state?v={tally.GetProperty("v").GetInt64()}")).RootElement;
        Assert.True(unchanged.GetProperty("unchanged").GetBoolean());

        await WorkshopSessions.EndAsync(leader, workshop);

        // The participant's next request and a new join with the code both answer "ended".
        var after = await alice.PostAsync("/join/workshop/rows/vision", Form(TestClient.TokenIn(page), ("Level", "1"), ("Evidence", "After the end")));
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
        var latecomer = factory.CreateBrowserClient();
        var refused = await latecomer.PostFormAsync("/join", new() { ["Code"] = workshop.Code, ["Name"] = "Late" });
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains("This workshop has ended", await refused.Content.ReadAsStringAsync());
        Assert.Equal(3, await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == workshop.GroupIds[0] && r.RowKey == "vision").Select(r => r.Level).SingleAsync()));

        // The facilitator gets the summary instead of the presenter view.
        var summary = await leader.GetHtmlAsync(workshop.Root);
        Assert.Contains("summary", summary);
        Assert.Contains("Alice", summary);
        Assert.Contains("1 of 6", summary);
    }

    [Fact]
    public async Task The_participant_poll_answers_what_moved_in_one_request_and_nothing_when_nothing_did()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick, "Poll table");
        var group = workshop.GroupIds[0];
        var ana = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Ana", group);
        var ben = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Ben", group);
        string Poll(string step, long since) => $"/join/workshop/poll?step={step}&group={group}&since={since}";

        // The page shows the step and group the seat has: nothing to say, and no body.
        var quiet = await ana.GetAsync(Poll("Arrival", 0));
        Assert.Equal(HttpStatusCode.NoContent, quiet.StatusCode);
        Assert.Empty(await quiet.Content.ReadAsByteArrayAsync());

        // The facilitator opens Activity 2: the page showing Arrival hears the new step.
        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity2);
        var moved = JsonDocument.Parse(await ana.GetStringAsync(Poll("Arrival", 0))).RootElement;
        Assert.Equal("Activity2", moved.GetProperty("step").GetString());
        Assert.Equal(group, moved.GetProperty("group").GetInt32());
        var since = moved.GetProperty("rubric").GetProperty("now").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await ana.GetAsync(Poll("Activity2", since))).StatusCode);

        // Ben saves a row: Ana's next poll carries it as a rating change, with his name; Ben's own poll marks it as his.
        var page = await ben.GetHtmlAsync("/join/workshop");
        ben.DefaultRequestHeaders.Add("Accept", "application/json");
        var saved = await ben.PostAsync("/join/workshop/rows/vision", Form(TestClient.TokenIn(page), ("Level", "2"), ("Evidence", "Shared by Ben")));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var version = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString();
        var news = JsonDocument.Parse(await ana.GetStringAsync(Poll("Activity2", since))).RootElement;
        Assert.Equal("Activity2", news.GetProperty("step").GetString());
        var change = Assert.Single(news.GetProperty("rubric").GetProperty("changes").EnumerateArray());
        Assert.Equal(("vision", 2, "Shared by Ben", "Ben", version, false),
            (change.GetProperty("rowKey").GetString(), change.GetProperty("level").GetInt32(), change.GetProperty("evidence").GetString(),
             change.GetProperty("by").GetString(), change.GetProperty("version").GetString(), change.GetProperty("mine").GetBoolean()));
        var own = JsonDocument.Parse(await ben.GetStringAsync(Poll("Activity2", since))).RootElement;
        Assert.True(Assert.Single(own.GetProperty("rubric").GetProperty("changes").EnumerateArray()).GetProperty("mine").GetBoolean());
        // From the moment of that answer on, nothing new.
        Assert.Equal(HttpStatusCode.NoContent, (await ana.GetAsync(Poll("Activity2", news.GetProperty("rubric").GetProperty("now").GetInt64()))).StatusCode);

        // A removed participant is refused; once the workshop ends, everyone is.
        var benId = await factory.WithDbAsync(db => db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id && p.DisplayName == "Ben").Select(p => p.Id).SingleAsync());
        var token = await leader.AntiforgeryTokenAsync(workshop.Root);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostAsync($"{workshop.Root}/participants/{benId}/remove", Form(token))).StatusCode);
        var removed = await ben.GetAsync(Poll("Activity2", 0));
        Assert.Equal(HttpStatusCode.Forbidden, removed.StatusCode);
        Assert.DoesNotContain("Shared by Ben", await removed.Content.ReadAsStringAsync());
        await WorkshopSessions.EndAsync(leader, workshop);
        var ended = await ana.GetAsync(Poll("Activity2", 0));
        Assert.Equal(HttpStatusCode.Gone, ended.StatusCode);
        Assert.DoesNotContain("Shared by Ben", await ended.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateBrowserClient().GetAsync(Poll("Activity2", 0))).StatusCode);
    }

    [Fact]
    public async Task A_participant_cookie_is_anonymous_everywhere_but_its_own_workshop_pages()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin);
        var participant = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Pat");
        foreach (var url in new[]
        {
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}", $"/districts/{ids.Lakeshore}/audit", $"/districts/{ids.Lakeshore}/export.json",
            $"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}", workshop.Root, $"{workshop.Root}/state",
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric/groups/{workshop.GroupIds[0]}/changes?since=0",
        })
        {
            var response = await participant.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/sign-in", response.Headers.Location!.AbsolutePath);
        }
        Assert.Equal(HttpStatusCode.OK, (await participant.GetAsync("/join/workshop")).StatusCode);
    }

    [Fact]
    public async Task A_removed_participant_is_refused_and_what_they_entered_stays_theirs()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin, "Removal table");
        var sam = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Sam Removable");
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity1);
        var added = await sam.PostFormAsync("/join/workshop/activity-1/example", new() { ["ConsequenceKey"] = "incomplete-data", ["Description"] = "Two data systems" }, "/join/workshop");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var participantId = await factory.WithDbAsync(db => db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id).Select(p => p.Id).SingleAsync());
        Assert.Contains("Remove Sam Removable", await facilitator.GetHtmlAsync($"{workshop.Root}/participants/{participantId}/remove"));
        var removal = $"{workshop.Root}/participants/{participantId}/remove";
        Assert.Equal(HttpStatusCode.Redirect, (await facilitator.PostFormAsync(removal, [], removal)).StatusCode);

        var refused = await sam.GetAsync("/join/workshop");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("no longer part of this workshop", await refused.Content.ReadAsStringAsync());

        // The removed browser stays out: joining again under another name is refused, and no seat is made.
        var rejoin = await sam.PostFormAsync("/join", new() { ["Code"] = workshop.Code, ["Name"] = "Not Sam" });
        Assert.Equal(HttpStatusCode.Forbidden, rejoin.StatusCode);
        Assert.Contains("The facilitator removed you from this workshop", await rejoin.Content.ReadAsStringAsync());
        Assert.Equal(1, await factory.WithDbAsync(db => db.WorkshopParticipants.CountAsync(p => p.WorkshopId == workshop.Id)));
        var author = await factory.WithDbAsync(db => db.ConsequenceExamples.Where(e => e.Description == "Two data systems")
            .Select(e => db.Users.Where(u => u.Id == e.CreatedByUserId).Select(u => u.DisplayName).First()).SingleAsync());
        Assert.Equal("Sam Removable", author);
        Assert.Contains("Sam Removable", await facilitator.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/activity-1"));
    }

    [Fact]
    public async Task A_participant_keeps_the_group_they_picked_a_direct_post_does_not_move_them()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick, "Pick table A", "Pick table B");
        var pat = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Pat Picker", workshop.GroupIds[0]);
        // Once in a group the page offers no way to move; a post made by hand is refused with the reason.
        Assert.Empty(Html.Parse(await pat.GetHtmlAsync("/join/workshop")).Forms("/join/workshop/group"));
        var moved = await pat.PostUnofferedAsync("/join/workshop/group", new() { ["GroupId"] = workshop.GroupIds[1].ToString() }, "/join");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Contains("You are already in a group", await pat.GetHtmlAsync("/join/workshop"));
        Assert.Equal(workshop.GroupIds[0], await factory.WithDbAsync(db => db.WorkshopParticipants
            .Where(p => p.WorkshopId == workshop.Id).Select(p => p.RatingGroupId).SingleAsync()));
    }

    [Fact]
    public async Task A_workshop_started_with_chosen_groups_lists_exactly_those_and_a_deleted_group_leaves_the_list()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/workshops";
        // Two of the cycle's groups ticked (the others cleared) and one new group named, as a facilitator would.
        var page = Html.Parse(await leader.GetHtmlAsync($"{root}/new"));
        var offered = page.QuerySelectorAll("input[name=GroupIds]").Select(b => int.Parse(b.GetAttribute("value")!)).ToList();
        Assert.True(offered.Count >= 3, "the demo cycle offers at least three groups");
        List<int> chosen = [offered[2], offered[0]];
        var form = RenderedForm.Find(page, root, [])!.ClearAll("GroupIds").Set("Activity2", "true").Set("Assignment", nameof(GroupAssignment.ParticipantsPick))
            .Set("NewGroups", $"Chosen table {Guid.NewGuid():N}"[..20]);
        foreach (var id in chosen) form.Set("GroupIds", id.ToString());
        var started = await leader.PostAsync(root, form.Content());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var workshopId = int.Parse(started.Headers.Location!.OriginalString.Split('/').Last());

        var listed = await factory.WithDbAsync(db => db.WorkshopGroups.Where(g => g.WorkshopId == workshopId).OrderBy(g => g.Position).Select(g => g.RatingGroupId).ToListAsync());
        var created = await factory.WithDbAsync(db => db.RatingGroups.Where(g => g.CycleId == ids.LakeshoreCycle).Select(g => g.Id).MaxAsync());
        // The ticked groups in the order the page lists them, then the new one.
        Assert.Equal([offered[0], offered[2], created], listed);
        var code = await factory.WithDbAsync(db => db.Workshops.Where(w => w.Id == workshopId).Select(w => w.Code).SingleAsync());
        var participant = await WorkshopSessions.JoinAsync(factory, code, "Chooser");
        int[] Offered(string html) => [.. Html.Parse(html).QuerySelectorAll("input[name=GroupId]").Select(r => int.Parse(r.GetAttribute("value")!))];
        Assert.Equal(listed, Offered(await participant.GetHtmlAsync("/join/workshop")));

        // A group deleted on the rating groups page is no longer one of the workshop's groups; the others stay.
        var groupsPage = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric/groups";
        var deleted = await leader.PostFormAsync($"{groupsPage}/{created}/delete", new() { ["confirm"] = "true" }, groupsPage);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal([offered[0], offered[2]], Offered(await participant.GetHtmlAsync("/join/workshop")));
    }

    [Fact]
    public async Task A_full_workshop_refuses_one_more_person_with_a_clear_message()
    {
        await using var small = MicipWebFactory.With(new() { Settings = new Dictionary<string, string?> { ["Workshop:MaxParticipants"] = "2" } });
        var ids = await DemoIds.LoadAsync(small);
        var facilitator = await small.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(small, facilitator, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin, "Small table");
        await WorkshopSessions.JoinAsync(small, workshop.Code, "First");
        await WorkshopSessions.JoinAsync(small, workshop.Code, "Second");
        var third = small.CreateBrowserClient();
        var refused = await third.PostFormAsync("/join", new() { ["Code"] = workshop.Code, ["Name"] = "Third" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("This workshop is full: 2 people have joined it.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(2, await small.WithDbAsync(db => db.WorkshopParticipants.CountAsync(p => p.WorkshopId == workshop.Id)));

        // Removing someone frees a seat.
        var first = await small.WithDbAsync(db => db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id).Select(p => p.Id).FirstAsync());
        var removal = $"{workshop.Root}/participants/{first}/remove";
        Assert.Equal(HttpStatusCode.Redirect, (await facilitator.PostFormAsync(removal, [], removal)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await third.PostFormAsync("/join", new() { ["Code"] = workshop.Code, ["Name"] = "Third" })).StatusCode);
    }

    [Fact]
    public async Task Names_are_shown_as_text_and_the_audit_trail_says_via_workshop()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin, "Markup table");
        const string hostile = "<script>alert(1)</script>";
        var participant = await WorkshopSessions.JoinAsync(factory, workshop.Code, hostile);
        // A second person with the same name is fine: names need not be unique.
        await WorkshopSessions.JoinAsync(factory, workshop.Code, hostile);
        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity3);
        var answered = await participant.PostFormAsync("/join/workshop/discussion/causal-theories", new() { ["Text"] = "Silos grew over years", ["Version"] = "" }, "/join/workshop");
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);

        foreach (var (client, url) in new[] { (participant, "/join/workshop"), (leader, workshop.Root), (leader, $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric/discussion") })
        {
            var html = await client.GetHtmlAsync(url);
            Assert.DoesNotContain(hostile, html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        }
        var audit = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/audit?entity=DiscussionNote");
        Assert.Contains($"via workshop {workshop.Code}: &lt;script&gt;", audit);
        var via = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "DiscussionNote" && a.Via != null).Select(a => a.Via).FirstAsync());
        Assert.Equal($"workshop {workshop.Code}", via);
    }

    [Fact]
    public async Task Thirty_participants_in_three_groups_saving_at_once_lose_no_acknowledged_write()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin, "Load A", "Load B", "Load C");
        var people = new List<(HttpClient Client, string Token)>();
        for (var i = 0; i < 30; i++)
        {
            var client = await WorkshopSessions.JoinAsync(factory, workshop.Code, $"Person {i}");
            people.Add((client, ""));
        }
        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity2);
        for (var i = 0; i < people.Count; i++)
        {
            var token = TestClient.TokenIn(await people[i].Client.GetHtmlAsync("/join/workshop"));
            people[i].Client.DefaultRequestHeaders.Add("Accept", "application/json");
            people[i] = (people[i].Client, token);
        }

        // Everyone saves the same row of their group three times in a row, starting from what they last saw.
        var acknowledged = new ConcurrentBag<(int Person, string Evidence, string Version)>();
        var statuses = new ConcurrentBag<int>();
        await Task.WhenAll(people.Select(async (p, i) =>
        {
            var version = "";
            for (var round = 0; round < 3; round++)
            {
                var evidence = $"person {i} round {round}";
                var response = await p.Client.PostAsync("/join/workshop/rows/routines", Form(p.Token, ("Level", (1 + (i + round) % 4).ToString()), ("Evidence", evidence), ("Version", version)));
                statuses.Add((int)response.StatusCode);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    version = body.GetProperty("version").GetString()!;
                    acknowledged.Add((i, evidence, version));
                }
                else
                {
                    Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.True(body.GetProperty("conflict").GetBoolean());
                    version = body.GetProperty("theirs").GetProperty("version").GetString()!; // take theirs, then try again
                }
            }
        }));

        Assert.DoesNotContain(statuses, s => s >= 500);
        var groupOf = await factory.WithDbAsync(db => db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id)
            .ToDictionaryAsync(p => int.Parse(p.DisplayName["Person ".Length..]), p => p.RatingGroupId!.Value));
        Assert.Equal(3, groupOf.Values.Distinct().Count());
        foreach (var groupId in workshop.GroupIds)
        {
            var stored = await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == groupId && r.RowKey == "routines")
                .Select(r => new { r.Evidence, r.Version }).SingleAsync());
            var mine = acknowledged.Where(a => groupOf[a.Person] == groupId).ToList();
            Assert.NotEmpty(mine);
            // What is stored is an acknowledged save, and the newest one: every other acknowledged version was replaced
            // only by a save that started from it (the version chain), so none was overwritten unseen.
            Assert.Contains(mine, a => a.Version == stored.Version.ToString() && a.Evidence == stored.Evidence);
        }
        output.WriteLine($"FIGURE workshop saves: {statuses.Count} posts by 30 participants, {acknowledged.Count} acknowledged, {statuses.Count(s => s == 409)} conflicts, 0 errors");
    }
}

/// <summary>On its own database and app: the wrong codes it sends would block the other tests' joins (all come from one test address).</summary>
public sealed class WorkshopJoinRateLimitTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [Fact]
    public async Task Wrong_codes_are_rate_limited_per_client_and_do_not_reveal_workshops()
    {
        var client = factory.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/join");
        var statuses = new List<HttpStatusCode>();
        string? firstMessage = null;
        for (var i = 0; i < 12; i++)
        {
            var response = await client.PostAsync("/join", Form(token, ("Code", "333333"), ("Name", "Guesser")));
            statuses.Add(response.StatusCode);
            firstMessage ??= await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("No open workshop has this code", firstMessage);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.BadRequest, 10), statuses.Take(10));
        Assert.All(statuses.Skip(10), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // Even a right code waits out the window from that client.
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.RoundRobin);
        var blocked = await client.PostAsync("/join", Form(token, ("Code", workshop.Code), ("Name", "Guesser")));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
    }
}
