using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Web.Tests.Support;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The rating autosave is the hottest write: every person saves a row every few seconds in a workshop. It sends a small,
/// fixed number of SQL commands (access, the row's rating, the save with its audit and data version), the same for a
/// first rating and for every later change.
/// </summary>
public sealed class AutosaveQueryBudgetTests(QueryCountingFactory factory, ITestOutputHelper output) : IClassFixture<QueryCountingFactory>
{
    private const int MaxCommandsPerSave = 10;

    [Fact]
    public async Task A_rating_autosave_sends_the_same_few_commands_each_time()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var rubric = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric";
        var forms = RenderedForm.PostFormsOf(Html.Parse(await leader.GetHtmlAsync(rubric)))
            .Where(f => Regex.IsMatch(f.Action, "/rubric/groups/\\d+/rows/") && f.Has("Evidence") && f.Has("Version")).ToList();
        Assert.True(forms.Count >= 3, "the rubric page renders a form per row");

        var counts = new List<int>();
        var version = new Dictionary<string, string>();
        foreach (var (form, round) in forms.Take(3).SelectMany(f => new[] { (f, 1), (f, 2) }))
        {
            // As the page's script posts it: the form's fields, the version it last saw, JSON wanted.
            var values = form.Copy().Set("Evidence", $"Round {round}").Values
                .Select(v => v.Key == "Version" && version.TryGetValue(form.Action, out var seen) ? KeyValuePair.Create(v.Key, seen) : v).ToList();
            using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(values) };
            request.Headers.Add("Accept", "application/json");
            factory.Counter.Clear();
            using var response = await leader.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            version[form.Action] = body.RootElement.GetProperty("version").GetString()!;
            var commands = factory.Counter.CommandsFor(form.Action);
            output.WriteLine($"{form.Action} (save {round}): {commands.Count} commands");
            Assert.True(commands.Count is > 0 and <= MaxCommandsPerSave,
                $"{form.Action} sent {commands.Count} SQL commands (budget {MaxCommandsPerSave}):\n" + string.Join("\n---\n", commands));
            counts.Add(commands.Count);
        }
        // Later saves of any row cost what the first later save cost: nothing grows with the rows already rated.
        var later = counts.Where((_, i) => i % 2 == 1).ToList();
        Assert.True(later.Distinct().Count() == 1, "later saves: " + string.Join(", ", later));
    }
}
