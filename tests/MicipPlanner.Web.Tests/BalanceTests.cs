using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

public sealed class BalanceTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string Building1 = "building1@example.org";

    /// <summary>A fresh Lakeshore cycle so each test starts with no templates.</summary>
    private async Task<(int District, int Cycle, int[] Buildings)> NewCycleAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var cycle = await factory.WithDbAsync(db => Build.Cycle(db, ids.Lakeshore).SaveAsync());
        return (ids.Lakeshore, cycle.Id, ids.LakeshoreBuildings);
    }

    private static string Root(int d, int c) => $"/districts/{d}/cycles/{c}/balance";

    /// <summary>The progress line reads "<paramref name="completed"/> of 7 functions completed", the number in the live counter.</summary>
    private static void AssertCompleted(int completed, string html)
    {
        var counter = Html.Parse(html).Single("#completed-count");
        Assert.Equal(completed.ToString(), counter.Text());
        Assert.Equal($"{completed} of 7 functions completed", counter.ParentElement!.Text());
    }

    /// <summary>The seven building-template items (six building functions, evaluation as collaborative), all filled.</summary>
    private static Dictionary<string, string> CompleteBuildingForm(string evidencePrefix = "Evidence", FunctionStatus status = FunctionStatus.NeedsStrengthening)
    {
        var fields = new Dictionary<string, string>();
        for (var row = 1; row <= 7; row++)
        {
            var i = row - 1;
            fields[$"Items[{i}].RowNumber"] = row.ToString();
            fields[$"Items[{i}].Function"] = row == 7 ? nameof(BalanceFunction.Collaborative) : nameof(BalanceFunction.Building);
            fields[$"Items[{i}].Status"] = status.ToString();
            fields[$"Items[{i}].Evidence"] = $"{evidencePrefix} for row {row}";
            fields[$"Items[{i}].NextAction"] = $"Next step for row {row}";
            fields[$"Items[{i}].Owner"] = "Principal Rivera";
            fields[$"Items[{i}].TargetDate"] = "2027-03-01";
        }
        fields["BuildingsAnswer"] = "Buildings run the learning cycles.";
        fields["DistrictsAnswer"] = "Districts provide systems.";
        fields["CommonAnswer"] = "Goals and evaluation.";
        return fields;
    }

    private async Task<Guid?> TemplateVersionAsync(int cycle, int building) => await factory.WithDbAsync(db =>
        db.BalanceTemplates.Where(t => t.CycleId == cycle && t.BuildingId == building).Select(t => (Guid?)t.Version).SingleOrDefaultAsync());

    private async Task<HttpResponseMessage> SaveAsync(HttpClient client, int d, int c, int b, Dictionary<string, string> fields)
    {
        var withVersion = new Dictionary<string, string>(fields) { ["Version"] = (await TemplateVersionAsync(c, b))?.ToString() ?? "" };
        return await client.PostFormAsync($"{Root(d, c)}/buildings/{b}", withVersion);
    }

    private async Task<HttpResponseMessage> StepAsync(HttpClient client, int d, int c, int b, string step, string comment = "")
    {
        // Only returning has a comment field.
        Dictionary<string, string> fields = step == "return" ? new() { ["Comment"] = comment } : [];
        return await client.PostFormAsync($"{Root(d, c)}/buildings/{b}/{step}", fields, formPage: $"{Root(d, c)}/buildings/{b}");
    }

    [Fact]
    public async Task Whole_workflow_draft_submit_return_edit_resubmit_accept_is_recorded_as_a_timeline()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        var member = await factory.SignedInAsync("member@example.org");

        var page = await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}");
        Assert.Contains("Implement strategies to address building-based barriers.", page);   // building function, verbatim
        AssertCompleted(0, page);

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(building, d, c, b, CompleteBuildingForm())).StatusCode);
        AssertCompleted(7, await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}"));

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(building, d, c, b, "submit")).StatusCode);
        var queue = await member.GetHtmlAsync(Root(d, c));
        Assert.Contains("Submitted", queue);
        Assert.True(await factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Text.Contains("Harbor View Elementary submitted"))));

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(member, d, c, b, "return", "Row 4 needs a named owner from the building team.")).StatusCode);
        var returned = await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}");
        Assert.Contains("The district team returned this template", returned);
        Assert.Contains("Row 4 needs a named owner from the building team.", returned);
        Assert.True(await factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Text.Contains("returned the Harbor View Elementary template"))));

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(building, d, c, b, CompleteBuildingForm("Revised evidence"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(building, d, c, b, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(member, d, c, b, "accept")).StatusCode);

        var transitions = await factory.WithDbAsync(db => db.TemplateTransitions
            .Where(t => db.BalanceTemplates.Any(x => x.Id == t.TemplateId && x.CycleId == c && x.BuildingId == b))
            .OrderBy(t => t.Id).Select(t => new { t.From, t.To, t.Comment }).ToListAsync());
        Assert.Equal(
            [(TemplateState.Draft, TemplateState.Submitted), (TemplateState.Submitted, TemplateState.Returned),
             (TemplateState.Returned, TemplateState.Submitted), (TemplateState.Submitted, TemplateState.Accepted)],
            transitions.Select(t => (t.From, t.To)).ToList());
        Assert.Equal("Row 4 needs a named owner from the building team.", transitions[1].Comment);

        var final = await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}");
        Assert.Contains("Accepted by the district team.", final);
        Assert.Contains("Revised evidence for row 1", final);
        Assert.Contains("Timeline", final);
        Assert.Contains("by Morgan Member", final);
        Assert.True(await factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Text.Contains("accepted the Harbor View Elementary template"))));
    }

    [Fact]
    public async Task Submitting_an_incomplete_template_lists_what_is_missing_and_keeps_it_a_draft()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        var fields = CompleteBuildingForm();
        fields.Remove("Items[1].Status");          // row 2 without a status
        fields["Items[3].NextAction"] = "";        // row 4 needs work but names no next action
        fields["Items[5].Owner"] = "  ";           // row 6 has no owner
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(building, d, c, b, fields)).StatusCode);

        var response = await StepAsync(building, d, c, b, "submit");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The template is not complete yet", html);
        Assert.Contains("Row 2 (Needs and root cause): choose a status.", html);
        Assert.Contains("Row 4 (Barriers): name the next action", html);
        Assert.Contains("Row 6 (Monitoring): say who owns the next action.", html);
        Assert.DoesNotContain("Row 1 (", html);
        Assert.Equal(TemplateState.Draft, await factory.WithDbAsync(db => db.BalanceTemplates.Where(t => t.CycleId == c && t.BuildingId == b).Select(t => t.State).SingleAsync()));
        Assert.Equal(0, await factory.WithDbAsync(db => db.TemplateTransitions.CountAsync(t => db.BalanceTemplates.Any(x => x.Id == t.TemplateId && x.CycleId == c))));
    }

    [Fact]
    public async Task Edits_are_refused_after_submission_and_the_stored_template_is_unchanged()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        await SaveAsync(building, d, c, b, CompleteBuildingForm());
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(building, d, c, b, "submit")).StatusCode);

        var page = await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}");
        Assert.Contains("read-only while the district team reviews it", page);
        // Every entry of the template form sits in one disabled fieldset.
        Assert.True(Html.Parse(page).Single("#template-form > fieldset").HasAttribute("disabled"));
        // Read-only, it is no form at all: nothing to submit, nothing that looks like it could be.
        Assert.Empty(Html.Parse(page).QuerySelectorAll("form#template-form"));

        var edit = await building.PostUnofferedAsync($"{Root(d, c)}/buildings/{b}",
            new(CompleteBuildingForm("Sneaky change")) { ["Version"] = (await TemplateVersionAsync(c, b))!.Value.ToString() });
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("read-only", await edit.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.BalanceTemplateItems.AnyAsync(i => i.Evidence.StartsWith("Sneaky change"))));

        // Submitting again is refused with the reason rather than recorded twice.
        var again = await building.PostUnofferedAsync($"{Root(d, c)}/buildings/{b}/submit", [], $"{Root(d, c)}/buildings/{b}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already submitted", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Building_member_sees_only_their_own_building_and_cannot_review()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var building = await factory.SignedInAsync(Building1);

        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync($"{Root(d, c)}/buildings/{buildings[1]}")).StatusCode);
        var foreignSave = await building.PostUnofferedAsync($"{Root(d, c)}/buildings/{buildings[1]}", CompleteBuildingForm(), $"{Root(d, c)}/buildings/{buildings[0]}");
        Assert.Equal(HttpStatusCode.NotFound, foreignSave.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.BalanceTemplates.AnyAsync(t => t.CycleId == c && t.BuildingId == buildings[1])));

        // The queue sends a building member straight to their own template.
        var queue = await building.GetAsync(Root(d, c));
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.EndsWith($"/buildings/{buildings[0]}", queue.Headers.Location!.OriginalString);

        await SaveAsync(building, d, c, buildings[0], CompleteBuildingForm());
        await StepAsync(building, d, c, buildings[0], "submit");
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{Root(d, c)}/buildings/{buildings[0]}/accept", [], $"{Root(d, c)}/buildings/{buildings[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{Root(d, c)}/district", CompleteBuildingForm(), $"{Root(d, c)}/buildings/{buildings[0]}")).StatusCode);

        // District members review but do not fill a building's template.
        var member = await factory.SignedInAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostUnofferedAsync($"{Root(d, c)}/buildings/{buildings[2]}", CompleteBuildingForm())).StatusCode);

        // Another district's leader learns nothing.
        var pine = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync(Root(d, c))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"{Root(d, c)}/buildings/{buildings[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pine.GetAsync($"{Root(d, c)}/rollup")).StatusCode);
    }

    [Fact]
    public async Task Rollup_counts_accepted_templates_and_optionally_submitted_ones_and_names_who_has_not_submitted()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var member = await factory.SignedInAsync("member@example.org");

        // Harbor View: accepted, everything in place. Dune Ridge: accepted, everything to be created.
        // Lakeshore Middle: submitted, needs strengthening. Lakeshore High: nothing.
        async Task FillAsync(int index, FunctionStatus status, string prefix)
        {
            var client = await factory.SignedInAsync($"building{index + 1}@example.org");
            var form = CompleteBuildingForm(prefix, status);
            form["Items[2].NextAction"] = $"{prefix} action on goals";
            Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(client, d, c, buildings[index], form)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(client, d, c, buildings[index], "submit")).StatusCode);
        }
        await FillAsync(0, FunctionStatus.InPlace, "Harbor");
        await FillAsync(1, FunctionStatus.NeedsToBeCreated, "Dune");
        await FillAsync(2, FunctionStatus.NeedsStrengthening, "Middle");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(member, d, c, buildings[0], "accept")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(member, d, c, buildings[1], "accept")).StatusCode);

        await using (var scope = factory.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var toolkit = scope.ServiceProvider.GetRequiredService<Domain.Toolkits.ToolkitCatalog>().Default;
            var accepted = await Features.Balance.RollupQuery.LoadAsync(db, d, c, toolkit, includeSubmitted: false);
            Assert.Equal(2, accepted.CountedTemplates);
            Assert.All(accepted.Rows, r => Assert.Equal((1, 0, 1), (r.Counts.InPlace, r.Counts.NeedsStrengthening, r.Counts.NeedsToBeCreated)));
            Assert.Equal(["Lakeshore High School"], accepted.NotSubmitted);

            var withSubmitted = await Features.Balance.RollupQuery.LoadAsync(db, d, c, toolkit, includeSubmitted: true);
            Assert.Equal(3, withSubmitted.CountedTemplates);
            Assert.All(withSubmitted.Rows, r => Assert.Equal((1, 1, 1), (r.Counts.InPlace, r.Counts.NeedsStrengthening, r.Counts.NeedsToBeCreated)));
            var goals = withSubmitted.Rows.Single(r => r.Row.Number == 3);
            Assert.Contains(("Lakeshore Middle School", "Middle action on goals"), goals.NextActions);
        }

        var page = await member.GetHtmlAsync($"{Root(d, c)}/rollup");
        Assert.Contains("accepted templates only", page);
        Assert.Contains("2 of 4 building(s)", page);
        Assert.Contains("Not submitted yet: Lakeshore High School", page);
        Assert.Contains("<svg", page);
        Assert.Contains(Html.Parse(page).QuerySelectorAll("table > caption"), c => c.Text().StartsWith("Building functions by status", StringComparison.Ordinal));   // the text alternative
        var both = await member.GetHtmlAsync($"{Root(d, c)}/rollup?include=submitted");
        Assert.Contains("accepted and submitted templates", both);
        Assert.Contains("Middle action on goals", both);
    }

    [Fact]
    public async Task District_template_is_saved_with_the_rollup_beside_each_row()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var building = await factory.SignedInAsync(Building1);
        await SaveAsync(building, d, c, buildings[0], CompleteBuildingForm("Harbor", FunctionStatus.NeedsToBeCreated));
        await StepAsync(building, d, c, buildings[0], "submit");

        var leader = await factory.SignedInAsync("leader@example.org");
        var page = await leader.GetHtmlAsync($"{Root(d, c)}/district");
        Assert.Contains("District Action Planning template", page);
        Assert.Contains("Identify one key leader with ability and authority to make executive level decisions.", page);   // district function
        Assert.Contains("Evaluate goals based on district-wide and building data.", page);                                // collaborative function
        Assert.Contains("0 in place · 0 need strengthening · 1 to be created", page);                                   // roll-up beside the row

        // The leader fills row 1's district function and row 7's collaborative one, found on the page as it renders them.
        var rendered = RenderedForm.Find(Html.Parse(page), $"{Root(d, c)}/district", [])!;
        string Slot(int row, string function) => rendered.Values.Where(v => v.Key.EndsWith(".RowNumber", StringComparison.Ordinal) && v.Value == row.ToString())
            .Select(v => v.Key[..^".RowNumber".Length]).Single(prefix => rendered.Values.Any(f => f.Key == prefix + ".Function" && f.Value == function));
        var row1 = Slot(1, "District");
        var row7 = Slot(7, "Collaborative");
        var fields = new Dictionary<string, string>
        {
            [$"{row1}.Status"] = "NeedsStrengthening", [$"{row1}.Evidence"] = "Board member seat vacant", [$"{row1}.NextAction"] = "Recruit a board member",
            [$"{row1}.Owner"] = "Superintendent", [$"{row7}.Status"] = "InPlace",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{Root(d, c)}/district", fields)).StatusCode);
        var stored = await factory.WithDbAsync(db => db.BalanceTemplates.Include(t => t.Items).AsNoTracking().SingleAsync(t => t.CycleId == c && t.BuildingId == null));
        // The page posts every row; the two the leader filled in are the ones with a status.
        Assert.Equal(2, stored.Items.Count(i => i.Status is not null));
        Assert.Contains(stored.Items, i => i is { RowNumber: 1, Function: BalanceFunction.District, Status: FunctionStatus.NeedsStrengthening, Owner: "Superintendent" });
        Assert.Contains(stored.Items, i => i is { RowNumber: 7, Function: BalanceFunction.Collaborative, Status: FunctionStatus.InPlace });
        Assert.Contains("Recruit a board member", await leader.GetHtmlAsync($"{Root(d, c)}/district"));

        // A building member cannot write it; the facilitator can.
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync($"{Root(d, c)}/district", fields, $"{Root(d, c)}/buildings/{buildings[0]}")).StatusCode);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var facilitatorSave = await facilitator.PostFormAsync($"{Root(d, c)}/district",
            new() { [$"{row1}.Evidence"] = "Seat filled in October" });
        Assert.Equal(HttpStatusCode.Redirect, facilitatorSave.StatusCode);
    }

    [Fact]
    public async Task Double_submit_of_the_same_form_leaves_exactly_one_submission_event()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        await SaveAsync(building, d, c, b, CompleteBuildingForm());
        var version = (await TemplateVersionAsync(c, b))!.Value.ToString();
        var token = await building.AntiforgeryTokenAsync($"{Root(d, c)}/buildings/{b}");
        FormUrlEncodedContent Form() => new(new Dictionary<string, string> { ["Version"] = version, ["__RequestVerificationToken"] = token });

        // The same form posted twice at once (a double click) and once more afterwards.
        var both = await Task.WhenAll(building.PostAsync($"{Root(d, c)}/buildings/{b}/submit", Form()), building.PostAsync($"{Root(d, c)}/buildings/{b}/submit", Form()));
        var third = await building.PostAsync($"{Root(d, c)}/buildings/{b}/submit", Form());
        Assert.Single(both.Concat([third]), r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(both.Concat([third]).Where(r => r.StatusCode != HttpStatusCode.Redirect), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        var submissions = await factory.WithDbAsync(db => db.TemplateTransitions
            .CountAsync(t => t.To == TemplateState.Submitted && db.BalanceTemplates.Any(x => x.Id == t.TemplateId && x.CycleId == c && x.BuildingId == b)));
        Assert.Equal(1, submissions);
        // One notice per member of the district side, not two.
        var notices = await factory.WithDbAsync(db => db.Notifications
            .Where(n => n.Link.EndsWith($"/cycles/{c}/balance/buildings/{b}") && n.Text.Contains("submitted")).Select(n => n.UserId).ToListAsync());
        Assert.NotEmpty(notices);
        Assert.Equal(notices.Count, notices.Distinct().Count());
    }

    [Fact]
    public async Task Autosave_answers_json_with_progress_and_a_stale_version_gets_a_conflict()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        var token = await building.AntiforgeryTokenAsync($"{Root(d, c)}/buildings/{b}");
        async Task<HttpResponseMessage> AutosaveAsync(Dictionary<string, string> fields)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Root(d, c)}/buildings/{b}") { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add("RequestVerificationToken", token);
            request.Headers.Add("Accept", "application/json");
            return await building.SendAsync(request);
        }

        var first = new Dictionary<string, string>
        {
            ["Items[0].RowNumber"] = "1", ["Items[0].Function"] = "Building", ["Items[0].Status"] = "InPlace", ["Version"] = "",
        };
        var response = await AutosaveAsync(first);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(1, json.RootElement.GetProperty("completed").GetInt32());
            Assert.Equal(7, json.RootElement.GetProperty("total").GetInt32());
            Assert.Equal(await TemplateVersionAsync(c, b), json.RootElement.GetProperty("version").GetGuid());
        }

        // A save from a page loaded before the first one must not overwrite it.
        var stale = await AutosaveAsync(new(first) { ["Version"] = Guid.NewGuid().ToString(), ["Items[0].Status"] = "NeedsToBeCreated" });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("conflict").GetBoolean());
            Assert.Equal(await TemplateVersionAsync(c, b), problem.RootElement.GetProperty("version").GetGuid());
        }
        Assert.Equal(FunctionStatus.InPlace, await factory.WithDbAsync(db => db.BalanceTemplateItems
            .Where(i => db.BalanceTemplates.Any(t => t.Id == i.TemplateId && t.CycleId == c && t.BuildingId == b) && i.RowNumber == 1).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task Reviewer_comments_on_an_item_are_shown_to_the_building_and_returning_needs_a_comment()
    {
        var (d, c, buildings) = await NewCycleAsync();
        var b = buildings[0];
        var building = await factory.SignedInAsync(Building1);
        await SaveAsync(building, d, c, b, CompleteBuildingForm());
        await StepAsync(building, d, c, b, "submit");

        var member = await factory.SignedInAsync("member@example.org");
        var comment = await member.PostFormAsync($"{Root(d, c)}/buildings/{b}/comments",
            new() { ["TargetKey"] = "5-Building", ["Body"] = "<script>alert('x')</script> Who writes the newsletter?" }, formPage: $"{Root(d, c)}/buildings/{b}");
        Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
        Assert.Equal(CommentTarget.TemplateItem, await factory.WithDbAsync(db => db.Comments.Where(x => x.CycleId == c).Select(x => x.TargetType).SingleAsync()));

        var noComment = await StepAsync(member, d, c, b, "return", "   ");
        // A missing comment is the reviewer's to fix: 400, the message next to the comment field.
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Contains("a comment is required to return a template", Html.Parse(await noComment.Content.ReadAsStringAsync()).Single("#return-comment-error").Text());
        Assert.Equal(TemplateState.Submitted, await factory.WithDbAsync(db => db.BalanceTemplates.Where(t => t.CycleId == c && t.BuildingId == b).Select(t => t.State).SingleAsync()));

        var page = await building.GetHtmlAsync($"{Root(d, c)}/buildings/{b}");
        Assert.Contains("Who writes the newsletter?", page);
        Assert.Contains("&lt;script&gt;", page);
        Assert.DoesNotContain("<script>alert('x')</script>", page);
    }
}
