using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Features.Rubric;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// One answer for every refused form (Mvc/RefusedFormFilter): a script gets problem details it can act on, a page
/// answers 400 and shows the error beside its field, and an action's own refusals (404, 403, 409, 410) still come first.
/// </summary>
public sealed class RefusedFormTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string ProblemJson = "application/problem+json";

    private Task<(int District, int Cycle, int WholeTeam)> NewCycleAsync() => RubricCycles.NewLakeshoreCycleAsync(factory);

    private static string RowUrl(int d, int c, int g, string row) => RubricCycles.RowUrl(d, c, g, row);

    /// <summary>Posts as the autosave scripts do: the token in a header, JSON wanted.</summary>
    private static async Task<HttpResponseMessage> ScriptPostAsync(HttpClient client, string url, string token, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add("Accept", "application/json");
        return await client.SendAsync(request);
    }

    /// <summary>The problem's members, after checking that it is one and carries <paramref name="status"/>.</summary>
    /// <remarks>The framework names a <c>type</c> for the statuses it maps (400, 409); a 410 has none, which means "about:blank".</remarks>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        if (status != HttpStatusCode.Gone) Assert.StartsWith("https://", problem.GetProperty("type").GetString());
        return problem;
    }

    private static IReadOnlyList<string> Errors(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public async Task A_script_posting_a_refused_form_gets_a_validation_problem_and_nothing_is_saved()
    {
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var token = await member.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");

        // The rubric's autosave: the action answers the refused form after its own checks.
        var rating = await ScriptPostAsync(member, RowUrl(d, c, g, "vision"), token, new() { ["Level"] = "9", ["Evidence"] = "Survey", ["Version"] = "" });
        var problem = await ProblemAsync(rating, HttpStatusCode.BadRequest);
        Assert.Equal(["Choose one of the four levels."], Errors(problem, "Level"));
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RatingGroupId == g)));

        // A form no script posts has no JSON action: it answers its page, refused with 400 and the field's message.
        var actions = await ScriptPostAsync(member, $"/districts/{d}/cycles/{c}/actions", token, new() { ["Title"] = "", ["Status"] = "NotStarted" });
        Assert.Equal(HttpStatusCode.BadRequest, actions.StatusCode);
        Assert.Equal("text/html", actions.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Describe the action.", await actions.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.ActionItems.AnyAsync(a => a.CycleId == c)));
    }

    [Fact]
    public async Task Another_districts_autosave_answers_404_before_its_refused_form()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var token = await member.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        var pine = $"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}";
        var pineGroup = await factory.WithDbAsync(db => db.RatingGroups.Where(x => x.CycleId == ids.PineRidgeCycle).Select(x => (int?)x.Id).FirstOrDefaultAsync()) ?? g;

        var rating = await ScriptPostAsync(member, RowUrl(ids.PineRidge, ids.PineRidgeCycle, pineGroup, "vision"), token, new() { ["Level"] = "9", ["Version"] = "" });
        Assert.Equal(HttpStatusCode.NotFound, rating.StatusCode);
        var template = await ScriptPostAsync(member, $"{pine}/balance/district", token, new() { ["Items[0].TargetDate"] = "not a date", ["Version"] = "" });
        Assert.Equal(HttpStatusCode.NotFound, template.StatusCode);
        var checkIn = await ScriptPostAsync(member, $"{pine}/monitoring/activities/1/check-ins", token, new() { ["Date"] = "not a date" });
        Assert.Equal(HttpStatusCode.NotFound, checkIn.StatusCode);

        // The same refused rating in the member's own district is the validation problem.
        var own = await ProblemAsync(await ScriptPostAsync(member, RowUrl(d, c, g, "vision"), token, new() { ["Level"] = "9", ["Version"] = "" }), HttpStatusCode.BadRequest);
        Assert.Equal(["Choose one of the four levels."], Errors(own, "Level"));
    }

    [Fact]
    public async Task A_page_posting_a_refused_form_gets_400_and_the_page_with_the_field_error()
    {
        var (d, c, g) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var response = await member.PostFormAsync(RowUrl(d, c, g, "vision"), new() { ["Level"] = "9", ["Evidence"] = "Kept text", ["Version"] = "" },
            formPage: $"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        var form = page.Single(".rating-form[data-row-key='vision']");
        Assert.Equal("Choose one of the four levels.", form.Single("[id$='-level-error']").Text());
        Assert.Equal("Kept text", form.Single("textarea[name='Evidence']").TextContent.Trim());
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RatingGroupId == g)));

        // A form refused by the action itself, not the validator, answers the same way.
        var actions = await member.PostFormAsync($"/districts/{d}/cycles/{c}/actions", new() { ["Title"] = "", ["Status"] = "NotStarted" },
            formPage: $"/districts/{d}/cycles/{c}/actions");
        Assert.Equal(HttpStatusCode.BadRequest, actions.StatusCode);
        Assert.Contains("Describe the action.", await actions.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rating_conflicts_and_a_finalized_rubric_answer_409_problems_before_any_validation()
    {
        var (d, c, g) = await NewCycleAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var token = await member.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        var leaderToken = await leader.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        var first = await ScriptPostAsync(leader, RowUrl(d, c, g, "plans"), leaderToken, new() { ["Level"] = "2", ["Evidence"] = "Leader's text", ["Version"] = "" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);

        var stale = await ScriptPostAsync(member, RowUrl(d, c, g, "plans"), token, new() { ["Level"] = "3", ["Evidence"] = "Member's text", ["Version"] = "" });
        var conflict = await ProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.True(conflict.GetProperty("conflict").GetBoolean());
        var leaderName = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.DisplayName).SingleAsync());
        Assert.Equal($"{leaderName} saved this row while you were editing.", conflict.GetProperty("detail").GetString());
        var theirs = conflict.GetProperty("theirs");
        Assert.Equal(2, theirs.GetProperty("level").GetInt32());
        Assert.Equal("Leader's text", theirs.GetProperty("evidence").GetString());
        Assert.Equal(leaderName, theirs.GetProperty("by").GetString());
        Assert.False(string.IsNullOrWhiteSpace(theirs.GetProperty("at").GetString()));
        var stored = await factory.WithDbAsync(db => db.RubricRatings.SingleAsync(r => r.RatingGroupId == g && r.RowKey == "plans"));
        Assert.Equal(stored.Version, theirs.GetProperty("version").GetGuid());
        Assert.Equal("Leader's text", stored.Evidence);

        await factory.WithDbAsync(async db =>
        {
            var cycle = await db.Cycles.SingleAsync(x => x.Id == c);
            cycle.RubricFinalizedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        // Locked comes first, even for a form the validator refuses, for the script and for the page.
        var locked = await ProblemAsync(await ScriptPostAsync(member, RowUrl(d, c, g, "vision"), token, new() { ["Level"] = "9" }), HttpStatusCode.Conflict);
        Assert.True(locked.GetProperty("locked").GetBoolean());
        Assert.Equal(RatingWriter.LockedMessage, locked.GetProperty("detail").GetString());
        var lockedPage = await member.PostUnofferedAsync(RowUrl(d, c, g, "vision"), new() { ["Level"] = "9" }, $"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.Conflict, lockedPage.StatusCode);
        Assert.Contains("finalized", await lockedPage.Content.ReadAsStringAsync());

        // An unknown row (404) and a person who may only read the rubric (403) are answered before the form.
        Assert.Equal(HttpStatusCode.NotFound, (await ScriptPostAsync(member, RowUrl(d, c, g, "no-such-row"), token, new() { ["Level"] = "9" })).StatusCode);
        var reader = await factory.SignedInAsync("building1@example.org");
        var readerToken = await reader.AntiforgeryTokenAsync($"/districts/{d}/cycles/{c}/rubric");
        Assert.Equal(HttpStatusCode.Forbidden, (await ScriptPostAsync(reader, RowUrl(d, c, g, "vision"), readerToken, new() { ["Level"] = "9" })).StatusCode);
    }

    [Fact]
    public async Task Template_autosave_answers_stale_and_read_only_saves_with_409_problems_and_refused_fields_with_400()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (d, c) = (ids.Lakeshore, await factory.WithDbAsync(async db => (await Build.Cycle(db, ids.Lakeshore).SaveAsync()).Id));
        var b = ids.LakeshoreBuildings[0];
        var url = $"/districts/{d}/cycles/{c}/balance/buildings/{b}";
        var building = await factory.SignedInAsync("building1@example.org");
        var token = await building.AntiforgeryTokenAsync(url);
        var item = new Dictionary<string, string> { ["Items[0].RowNumber"] = "1", ["Items[0].Function"] = "Building", ["Items[0].Status"] = "InPlace", ["Version"] = "" };
        Assert.Equal(HttpStatusCode.OK, (await ScriptPostAsync(building, url, token, item)).StatusCode);
        Task<Guid> StoredVersionAsync() => factory.WithDbAsync(db => db.BalanceTemplates.Where(t => t.CycleId == c && t.BuildingId == b).Select(t => t.Version).SingleAsync());

        var stale = await ProblemAsync(await ScriptPostAsync(building, url, token, new(item) { ["Version"] = Guid.NewGuid().ToString() }), HttpStatusCode.Conflict);
        Assert.True(stale.GetProperty("conflict").GetBoolean());
        Assert.Equal(await StoredVersionAsync(), stale.GetProperty("version").GetGuid());
        Assert.StartsWith("Someone else saved this template while you were editing.", stale.GetProperty("detail").GetString());

        var version = (await StoredVersionAsync()).ToString();
        var invalid = await ProblemAsync(await ScriptPostAsync(building, url, token, new(item) { ["Version"] = version, ["Items[0].TargetDate"] = "not a date" }),
            HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(invalid, "Items[0].TargetDate"));
        Assert.Equal(version, (await StoredVersionAsync()).ToString());

        await factory.WithDbAsync(async db =>
        {
            var template = await db.BalanceTemplates.SingleAsync(t => t.CycleId == c && t.BuildingId == b);
            template.State = TemplateState.Submitted;
            await db.SaveChangesAsync();
        });
        version = (await StoredVersionAsync()).ToString();
        var readOnly = await ProblemAsync(await ScriptPostAsync(building, url, token, new(item) { ["Version"] = version }), HttpStatusCode.Conflict);
        Assert.True(readOnly.GetProperty("locked").GetBoolean());
        Assert.Contains("read-only", readOnly.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_participant_script_gets_the_validation_problem_and_an_ended_workshop_answers_410_first()
    {
        var participant = await WorkshopSessions.ParticipantAtStepAsync(factory, WorkshopStep.Activity2);
        var token = await participant.AntiforgeryTokenAsync("/join/workshop");
        var invalid = await ProblemAsync(await ScriptPostAsync(participant, "/join/workshop/rows/routines", token, new() { ["Level"] = "9", ["Version"] = "" }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["Choose one of the four levels."], Errors(invalid, "Level"));
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.RowKey == "routines"
            && db.WorkshopParticipants.Any(p => p.DisplayName == "Probe at Activity2" && p.RatingGroupId == r.RatingGroupId && r.UpdatedByUserId == p.UserId))));

        var ended = await WorkshopSessions.ParticipantAsync(factory, ended: true);
        var endedToken = await ended.AntiforgeryTokenAsync("/join");
        var gone = await ProblemAsync(await ScriptPostAsync(ended, "/join/workshop/rows/routines", endedToken, new() { ["Level"] = "9" }), HttpStatusCode.Gone);
        Assert.True(gone.GetProperty("ended").GetBoolean());
    }
}
