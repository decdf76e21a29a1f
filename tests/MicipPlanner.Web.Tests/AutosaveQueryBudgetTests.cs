using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Tests.Support;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The autosaves are the hottest writes: every person saves a row every few seconds in a workshop, and a template saves
/// while it is typed. Each sends a small, fixed number of SQL commands (access or seat, the record, the save with its audit
/// and data version), the same for every later change whatever was saved before.
/// </summary>
public sealed class AutosaveQueryBudgetTests(QueryCountingFactory factory, ITestOutputHelper output) : IClassFixture<QueryCountingFactory>
{
    private const int MaxCommandsPerSave = 10;

    // A participant's first rating of a row inserts it and a later one changes it; either way the audit rows of the save,
    // one per field, go in with one statement.
    private const int MaxCommandsPerFirstParticipantRating = 6;
    private const int MaxCommandsPerParticipantRating = 6;

    // The first save of a building's template creates it with an item per function (one command each), every field
    // audited (one statement for all of them); later saves change what was typed.
    private const int MaxCommandsPerFirstTemplateSave = 16;
    private const int MaxCommandsPerTemplateSave = 8;

    [Fact]
    public async Task A_rating_autosave_sends_the_same_few_commands_each_time()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var rubric = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric";
        var forms = RenderedForm.PostFormsOf(Html.Parse(await leader.GetHtmlAsync(rubric)))
            .Where(f => Regex.IsMatch(f.Action, "/rubric/groups/\\d+/rows/") && f.Has("Evidence") && f.Has("Version")).ToList();
        Assert.True(forms.Count >= 3, "the rubric page renders a form per row");
        await AssertSteadyBudgetAsync(leader, forms.Take(3), "Evidence", MaxCommandsPerSave, MaxCommandsPerSave);
    }

    [Fact]
    public async Task A_participant_rating_sends_the_same_few_commands_each_time()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick, "Budget table");
        var participant = await WorkshopSessions.JoinAsync(factory, workshop.Code, "Bea", workshop.GroupIds[0]);
        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity2);
        var forms = RenderedForm.PostFormsOf(Html.Parse(await participant.GetHtmlAsync("/join/workshop")))
            .Where(f => f.Action.StartsWith("/join/workshop/rows/", StringComparison.Ordinal) && f.Has("Evidence") && f.Has("Version")).ToList();
        Assert.True(forms.Count >= 3, "the participant page renders a form per row");
        // The seat is read instead of the district access; the rest is the rubric page's autosave.
        await AssertSteadyBudgetAsync(participant, forms.Take(3), "Evidence", MaxCommandsPerFirstParticipantRating, MaxCommandsPerParticipantRating);
    }

    [Fact]
    public async Task A_template_autosave_sends_the_same_few_commands_each_time()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var cycle = await factory.WithDbAsync(db => Build.Cycle(db, ids.Lakeshore).SaveAsync());
        var building = await factory.SignedInAsync("building1@example.org");
        var page = $"/districts/{ids.Lakeshore}/cycles/{cycle.Id}/balance/buildings/{ids.LakeshoreBuildings[0]}";
        var form = RenderedForm.PostFormsOf(Html.Parse(await building.GetHtmlAsync(page))).Single(f => f.Action == page && f.Has("Items[0].Evidence"));
        // The whole template is the form: three rounds of typing into its first item.
        await AssertSteadyBudgetAsync(building, [form, form, form], "Items[0].Evidence", MaxCommandsPerFirstTemplateSave, MaxCommandsPerTemplateSave);
    }

    /// <summary>
    /// Every save in a workshop's district tells the presenter view, which asks for its tally: on the rating step that is
    /// the access, the workshop, its groups, its people and the groups' ratings, and nothing another step shows.
    /// </summary>
    [Fact]
    public async Task The_presenter_tally_reads_only_what_the_open_step_shows()
    {
        const int MaxCommandsPerTally = 5;
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var workshop = await WorkshopSessions.StartAsync(factory, leader, ids.Lakeshore, ids.LakeshoreCycle, GroupAssignment.ParticipantsPick, "Tally table");
        await WorkshopSessions.JoinAsync(factory, workshop.Code, "Bea", workshop.GroupIds[0]);
        await WorkshopSessions.OpenStepAsync(leader, workshop, WorkshopStep.Activity2);
        var state = $"{workshop.Root}/state";
        factory.Counter.Clear();
        using var tally = System.Text.Json.JsonDocument.Parse(await leader.GetStringAsync(state));
        Assert.True(tally.RootElement.GetProperty("heat").GetArrayLength() > 0, "the rating step's tally is its heat map");
        var commands = factory.Counter.CommandsFor(state);
        output.WriteLine($"{state}: {commands.Count} commands");
        Assert.True(commands.Count is > 0 and <= MaxCommandsPerTally,
            $"{state} sent {commands.Count} SQL commands (budget {MaxCommandsPerTally}):\n" + string.Join("\n---\n", commands));
        Assert.DoesNotContain(commands, c => c.Contains("ConsequenceExamples", StringComparison.Ordinal) || c.Contains("DiscussionNotes", StringComparison.Ordinal));
    }

    /// <summary>
    /// Saves each form twice as the page's script posts it (the form's fields, the version it last saw, JSON wanted) and
    /// checks each save's commands against the budget, and that later saves cost what the first later save cost: nothing
    /// grows with what was saved before.
    /// </summary>
    private async Task AssertSteadyBudgetAsync(HttpClient client, IEnumerable<RenderedForm> forms, string typedField, int firstSaveBudget, int budget)
    {
        var counts = new List<int>();
        var version = new Dictionary<string, string>();
        var typed = 0;
        foreach (var form in forms.SelectMany(f => new[] { f, f }))
        {
            // The first save of a record may create it; every later one changes it.
            var allowed = version.ContainsKey(form.Action) ? budget : firstSaveBudget;
            var values = form.Copy().Set(typedField, $"Typed {++typed}").Values
                .Select(v => v.Key == "Version" && version.TryGetValue(form.Action, out var seen) ? KeyValuePair.Create(v.Key, seen) : v).ToList();
            using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(values) };
            request.Headers.Add("Accept", "application/json");
            factory.Counter.Clear();
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            version[form.Action] = body.RootElement.GetProperty("version").GetString()!;
            var commands = factory.Counter.CommandsFor(form.Action);
            output.WriteLine($"{form.Action} (save {counts.Count + 1}): {commands.Count} commands");
            Assert.True(commands.Count is > 0 && commands.Count <= allowed,
                $"{form.Action} sent {commands.Count} SQL commands (budget {allowed}):\n" + string.Join("\n---\n", commands));
            counts.Add(commands.Count);
        }
        var later = counts.Where((_, i) => i % 2 == 1).ToList();
        Assert.True(later.Distinct().Count() == 1, "later saves: " + string.Join(", ", later));
    }
}
