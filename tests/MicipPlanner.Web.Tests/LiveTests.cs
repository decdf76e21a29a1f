using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Live;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// Live updates by push (Features/Live): who may listen to what, and that a save reaches the screens that may see it and
/// no others. The connections are real SignalR clients on the test server, with the cookies of a browser that signed
/// in or joined a workshop through the pages.
/// </summary>
public sealed class LiveTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    [Fact]
    public async Task A_rating_saved_by_another_person_reaches_a_watching_screen_which_then_reads_it_through_the_page()
    {
        var (d, c, g) = await RubricCycles.NewLakeshoreCycleAsync(factory);
        var member = await LiveBrowser.SignedInAsync(factory, "member@example.org");
        await using var live = await member.ConnectAsync(LiveSetup.Path);
        Assert.True(await live.WatchAsync(d, c));
        await live.SettleAsync();

        var leader = await factory.SignedInAsync("leader@example.org");
        var saved = await leader.PostFormAsync(RubricCycles.RowUrl(d, c, g, "routines"),
            new() { ["Level"] = "3", ["Evidence"] = "Shared agenda since October", ["Version"] = "" }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var version = await DataVersionAsync(d);

        var change = await live.NextChangeAsync();
        Assert.NotNull(change);
        Assert.Equal(d, change.District);
        Assert.Equal(version, change.Version);
        // The message says only that something changed; the page reads what through its own endpoint, as before.
        var changes = await member.Http.GetStringAsync($"/districts/{d}/cycles/{c}/rubric/groups/{g}/changes?since=0");
        Assert.Contains("Shared agenda since October", changes);
    }

    [Fact]
    public async Task A_person_of_another_district_is_refused_and_hears_nothing_of_it()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var pineRidge = await LiveBrowser.SignedInAsync(factory, "pineridge@example.org");
        await using var outsider = await pineRidge.ConnectAsync(LiveSetup.Path);
        Assert.False(await outsider.WatchAsync(ids.Lakeshore, ids.LakeshoreCycle));
        Assert.False(await outsider.WatchAsync(ids.Lakeshore));
        // Another district's cycle under one's own district is refused as the pages refuse it.
        Assert.False(await outsider.WatchAsync(ids.PineRidge, ids.LakeshoreCycle));
        Assert.True(await outsider.WatchAsync(ids.PineRidge, ids.PineRidgeCycle));

        var member = await LiveBrowser.SignedInAsync(factory, "member@example.org");
        await using var insider = await member.ConnectAsync(LiveSetup.Path);
        Assert.True(await insider.WatchAsync(ids.Lakeshore, ids.LakeshoreCycle));
        await insider.SettleAsync();
        await outsider.SettleAsync();

        await SaveInLakeshoreAsync(ids);
        var change = await insider.NextChangeAsync();
        Assert.Equal(ids.Lakeshore, change?.District);
        await Task.Delay(300);
        Assert.Empty(outsider.Heard());
    }

    [Fact]
    public async Task A_removed_participant_hears_nothing_after_the_removal_and_is_told_to_close()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle);
        await using var stays = await (await LiveBrowser.SeatAsync(factory, workshop.Code, "Stays")).ConnectAsync(LiveSetup.SeatPath);
        await using var leaves = await (await LiveBrowser.SeatAsync(factory, workshop.Code, "Leaves")).ConnectAsync(LiveSetup.SeatPath);
        // A seat hears its workshop without asking, and may not watch a district.
        Assert.False(await leaves.WatchAsync(ids.Lakeshore, ids.LakeshoreCycle));
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity1);
        Assert.NotNull(await leaves.NextChangeAsync());
        await stays.SettleAsync();
        await leaves.SettleAsync();

        var leavesId = await factory.WithDbAsync(db => db.WorkshopParticipants
            .Where(p => p.WorkshopId == workshop.Id && p.DisplayName == "Leaves").Select(p => p.Id).SingleAsync());
        var remove = $"{workshop.Root}/participants/{leavesId}/remove";
        Assert.Equal(HttpStatusCode.Redirect, (await facilitator.PostFormAsync(remove, [], remove)).StatusCode);
        Assert.True(await leaves.ClosedAsync());
        // Another seat's removal is nothing the remaining seat's page shows: it is not asked to look.
        Assert.Null(await stays.NextChangeAsync(0.5));
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity2);
        Assert.NotNull(await stays.NextChangeAsync());
        await Task.Delay(300);
        Assert.Empty(leaves.Heard());
    }

    [Fact]
    public async Task An_ended_workshops_seat_hears_nothing_after_the_end_and_cannot_connect_again()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var ending = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle);
        var running = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle);
        var endingBrowser = await LiveBrowser.SeatAsync(factory, ending.Code, "Ending");
        await using var ended = await endingBrowser.ConnectAsync(LiveSetup.SeatPath);
        await using var other = await (await LiveBrowser.SeatAsync(factory, running.Code, "Running")).ConnectAsync(LiveSetup.SeatPath);
        await ended.SettleAsync();
        await other.SettleAsync();

        await WorkshopSessions.EndAsync(facilitator, ending);
        Assert.True(await ended.ClosedAsync());
        // The end of another workshop of the same district is nothing the running workshop's seats show.
        Assert.Null(await other.NextChangeAsync(0.5));
        await WorkshopSessions.OpenStepAsync(facilitator, running, WorkshopStep.Activity1);
        Assert.NotNull(await other.NextChangeAsync());
        await Task.Delay(300);
        Assert.Empty(ended.Heard());

        // Its cookie still opens a negotiation, but the connection is closed as it starts.
        var again = await endingBrowser.ConnectAsync(LiveSetup.SeatPath).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        if (again is not null)
        {
            await using (again)
            {
                await Assert.ThrowsAnyAsync<Exception>(() => again.WatchAsync(ids.Lakeshore));
            }
        }
    }

    [Fact]
    public async Task Negotiation_without_a_sign_in_or_a_seat_answers_401()
    {
        var anonymous = new LiveBrowser(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.NegotiateAsync(LiveSetup.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.NegotiateAsync(LiveSetup.SeatPath)).StatusCode);

        var member = await LiveBrowser.SignedInAsync(factory, "member@example.org");
        Assert.Equal(HttpStatusCode.OK, (await member.NegotiateAsync(LiveSetup.Path)).StatusCode);

        var ids = await DemoIds.LoadAsync(factory);
        var workshop = await WorkshopSessions.CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        var seat = await LiveBrowser.SeatAsync(factory, workshop.Code, "Seat");
        Assert.Equal(HttpStatusCode.OK, (await seat.NegotiateAsync(LiveSetup.SeatPath)).StatusCode);
        // The seat's cookie is sent to /join addresses only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await seat.NegotiateAsync(LiveSetup.Path)).StatusCode);
    }

    [Fact]
    public async Task A_participants_rating_reaches_the_other_seats_of_its_group_whole_and_not_the_rest_of_the_room()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick,
            "Table A", "Table B");
        var rater = new LiveBrowser(factory);
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Rater", workshop.GroupIds[0], rater.Http);
        var tablemate = new LiveBrowser(factory);
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Tablemate", workshop.GroupIds[0], tablemate.Http);
        var otherTable = new LiveBrowser(factory);
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Other table", workshop.GroupIds[1], otherTable.Http);
        await using var own = await rater.ConnectAsync(LiveSetup.SeatPath);
        await using var same = await tablemate.ConnectAsync(LiveSetup.SeatPath);
        await using var other = await otherTable.ConnectAsync(LiveSetup.SeatPath);
        // Opening a step is news for the whole room.
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity2);
        Assert.NotNull(await same.NextChangeAsync());
        Assert.NotNull(await other.NextChangeAsync());
        await own.SettleAsync();
        await same.SettleAsync();
        await other.SettleAsync();

        var form = RenderedForm.PostFormsOf(Html.Parse(await rater.Http.GetHtmlAsync("/join/workshop")))
            .First(f => f.Action.StartsWith("/join/workshop/rows/", StringComparison.Ordinal) && f.Has("Evidence"));
        var rowKey = Uri.UnescapeDataString(form.Action["/join/workshop/rows/".Length..].Split('/')[0]);
        var saved = await rater.Http.PostAsync(form.Action, form.Copy().Set("Evidence", "Our table's <b>evidence</b>").Content());
        Assert.True(saved.IsSuccessStatusCode || saved.StatusCode == HttpStatusCode.Redirect, $"the rating answered {(int)saved.StatusCode}");

        // The tablemate's page is handed the rating itself, as its own request would have answered it: nothing to ask.
        var ratings = await same.NextRatingsAsync();
        Assert.NotNull(ratings);
        var change = Assert.Single(ratings.Value.EnumerateArray());
        var stored = await factory.WithDbAsync(db => db.RubricRatings.SingleAsync(r => r.RatingGroupId == workshop.GroupIds[0] && r.RowKey == rowKey));
        Assert.Equal(rowKey, change.GetProperty("rowKey").GetString());
        Assert.Equal("Our table's <b>evidence</b>", change.GetProperty("evidence").GetString());
        Assert.Equal(stored.Version, change.GetProperty("version").GetGuid());
        Assert.Equal("Rater", change.GetProperty("by").GetString());
        Assert.Null(await same.NextChangeAsync(0.5));
        // The rater's own page has its answer already; the other table's page shows nothing of it.
        await Task.Delay(300);
        Assert.Empty(own.HeardRatings());
        Assert.Empty(own.Heard());
        Assert.Empty(other.HeardRatings());
        Assert.Empty(other.Heard());

        // Once the facilitator moves on from rating, a rating (by a member on the team's page, say) reaches no seat.
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity3);
        Assert.NotNull(await same.NextChangeAsync());
        await same.SettleAsync();
        await factory.WithDbAsync(async db =>
        {
            var rating = await db.RubricRatings.SingleAsync(r => r.Id == stored.Id);
            rating.Evidence = "Changed after the step";
            rating.Version = Guid.NewGuid();
            await db.SaveChangesAsync();
            return 0;
        });
        await Task.Delay(500);
        Assert.Empty(same.HeardRatings());
        Assert.Empty(same.Heard());
    }

    [Fact]
    public async Task A_participants_rating_reaches_the_presenter_view_as_the_heat_map_row_its_state_would_answer()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick,
            "Front table", "Back table");
        var projector = await LiveBrowser.SignedInAsync(factory, "facilitator@example.org");
        await using var presenter = await projector.ConnectAsync(LiveSetup.Path);
        Assert.True(await presenter.PresentAsync(ids.Lakeshore, ids.LakeshoreCycle, workshop.Id));
        var rater = new LiveBrowser(factory);
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Rater", workshop.GroupIds[0], rater.Http);
        await WorkshopSessions.OpenStepAsync(facilitator, workshop, WorkshopStep.Activity2);
        // A join and a step are not ratings alone: the view is told so, and asks for its state.
        var joined = await presenter.NextChangeAsync();
        Assert.NotNull(joined);
        Assert.False(joined.OnlyRatings);
        await presenter.SettleAsync();
        Assert.Empty(presenter.HeardTallies());

        var form = RenderedForm.PostFormsOf(Html.Parse(await rater.Http.GetHtmlAsync("/join/workshop")))
            .First(f => f.Action.StartsWith("/join/workshop/rows/", StringComparison.Ordinal) && f.Has("Level"));
        var rowKey = Uri.UnescapeDataString(form.Action["/join/workshop/rows/".Length..].Split('/')[0]);
        var saved = await rater.Http.PostAsync(form.Action, form.Copy().Set("Level", "3").Content());
        Assert.True(saved.IsSuccessStatusCode || saved.StatusCode == HttpStatusCode.Redirect, $"the rating answered {(int)saved.StatusCode}");

        var tally = await presenter.NextTallyAsync();
        Assert.NotNull(tally);
        var version = await DataVersionAsync(ids.Lakeshore);
        Assert.Equal(workshop.Id, tally.Value.GetProperty("workshop").GetInt32());
        Assert.Equal(version, tally.Value.GetProperty("v").GetInt64());
        Assert.Equal(2, tally.Value.GetProperty("groups").GetInt32());
        var row = Assert.Single(tally.Value.GetProperty("heat").EnumerateArray());
        // The row as the presenter's own state answers it (counts, groups rated, disagreement, who chose what).
        var state = JsonDocument.Parse(await facilitator.GetStringAsync($"{workshop.Root}/state"));
        var answered = state.RootElement.GetProperty("heat").EnumerateArray().Single(r => r.GetProperty("key").GetString() == rowKey);
        Assert.Equal(answered.GetRawText(), row.GetRawText());
        Assert.Equal("[[],[],[\"Front table\"],[]]", row.GetProperty("groups").GetRawText());
        // The district's pages hear the change as ever, marked as ratings alone: the presenter view need not ask.
        var change = await presenter.NextChangeAsync();
        Assert.NotNull(change);
        Assert.True(change.OnlyRatings);
        Assert.Equal(version, change.Version);

        // A rating of a group the workshop does not list changes nothing on its projector: no tally.
        await presenter.SettleAsync();
        await SaveInLakeshoreAsync(ids);
        Assert.NotNull(await presenter.NextChangeAsync());
        await Task.Delay(300);
        Assert.Empty(presenter.HeardTallies());
    }

    [Fact]
    public async Task Only_a_person_who_may_run_the_cycles_workshops_presents_one_and_only_its_own_cycles()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, facilitator, ids.Lakeshore, ids.LakeshoreCycle);

        var member = await LiveBrowser.SignedInAsync(factory, "member@example.org");
        await using var reader = await member.ConnectAsync(LiveSetup.Path);
        Assert.False(await reader.PresentAsync(ids.Lakeshore, ids.LakeshoreCycle, workshop.Id));
        var pineRidge = await LiveBrowser.SignedInAsync(factory, "pineridge@example.org");
        await using var outsider = await pineRidge.ConnectAsync(LiveSetup.Path);
        Assert.False(await outsider.PresentAsync(ids.Lakeshore, ids.LakeshoreCycle, workshop.Id));
        Assert.False(await outsider.PresentAsync(ids.PineRidge, ids.PineRidgeCycle, workshop.Id));
        var leader = await LiveBrowser.SignedInAsync(factory, "leader@example.org");
        await using var presenter = await leader.ConnectAsync(LiveSetup.Path);
        Assert.False(await presenter.PresentAsync(ids.Lakeshore, ids.LakeshoreCycle, workshop.Id + 100_000));
        Assert.True(await presenter.PresentAsync(ids.Lakeshore, ids.LakeshoreCycle, workshop.Id));

        // A refused connection joined nothing: a change in the district reaches only the presenter.
        await presenter.SettleAsync();
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Someone");
        Assert.NotNull(await presenter.NextChangeAsync());
        await Task.Delay(300);
        Assert.Empty(reader.Heard());
        Assert.Empty(outsider.Heard());
    }

    [Fact]
    public async Task A_page_of_another_site_cannot_open_a_connection_with_the_visitors_cookies()
    {
        var member = await LiveBrowser.SignedInAsync(factory, "member@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.NegotiateAsync(LiveSetup.Path, "https://elsewhere.example")).StatusCode);
        // The app's own pages (same host, whatever port a proxy shows) connect.
        Assert.Equal(HttpStatusCode.OK, (await member.NegotiateAsync(LiveSetup.Path, "http://localhost:8443")).StatusCode);

        var ids = await DemoIds.LoadAsync(factory);
        var workshop = await WorkshopSessions.CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        var seat = await LiveBrowser.SeatAsync(factory, workshop.Code, "Seat");
        Assert.Equal(HttpStatusCode.Forbidden, (await seat.NegotiateAsync(LiveSetup.SeatPath, "https://elsewhere.example")).StatusCode);
    }

    private Task<long> DataVersionAsync(int districtId) => factory.WithDbAsync(db => db.Districts.Where(x => x.Id == districtId)
        .Select(x => EF.Property<long>(x, AppDbContext.DataVersion)).SingleAsync());

    /// <summary>A save in Lakeshore by a key leader, through the rubric page's form.</summary>
    private async Task SaveInLakeshoreAsync(DemoIds ids)
    {
        var (d, c, g) = await RubricCycles.NewLakeshoreCycleAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var saved = await leader.PostFormAsync(RubricCycles.RowUrl(d, c, g, "plans"),
            new() { ["Level"] = "2", ["Evidence"] = "Plans combined", ["Version"] = "" }, formPage: RubricCycles.PageOf(d, c, g));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(ids.Lakeshore, d);
    }
}
