using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using MicipPlanner.ClusterTests.Support;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace MicipPlanner.ClusterTests;

/// <summary>
/// Two instances behind nginx in round robin, no sticky sessions, one PostgreSQL database: what a person does on one
/// instance holds on the other. Round robin sends one person's consecutive requests to alternate instances; each test
/// checks that from the X-Upstream header rather than assuming it. The instance-killing test runs last.
/// </summary>
[Collection(ClusterCollection.Name)]
[TestCaseOrderer("MicipPlanner.ClusterTests.Support.ByName", "MicipPlanner.ClusterTests")]
public sealed class ClusterTests(Cluster cluster, ITestOutputHelper output)
{
    private const string DistrictRubric = "/districts/1/cycles/2/rubric";

    [Fact]
    public async Task A1_Both_instances_started_together_on_an_empty_database_made_everything_once_and_serve()
    {
        output.WriteLine($"Cluster started in {cluster.StartTime.TotalSeconds:F0} s (publish included)");
        using var probe = new HttpClient();
        for (var instance = 1; instance <= Cluster.Instances; instance++)
        {
            using var ready = await probe.GetAsync($"http://127.0.0.1:{cluster.InstancePort(instance)}/healthz/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.DoesNotContain("Hosting failed to start", cluster.InstanceLog(instance));
        }
        // One first data-protection key for both (else each would refuse the other's cookies), the demo districts once.
        Assert.Equal(1L, await cluster.QueryAsync<long>("SELECT count(*) FROM \"DataProtectionKeys\""));
        Assert.Equal(1L, await cluster.QueryAsync<long>("SELECT count(*) FROM \"AspNetUsers\" WHERE \"Email\" = 'leader@example.org'"));
        var seeded = Enumerable.Range(1, Cluster.Instances).Count(i => cluster.InstanceLog(i).Contains("Demo districts created"));
        Assert.Equal(1, seeded);
    }

    [Fact]
    public async Task A2_Sign_in_on_one_instance_is_honoured_by_the_other_and_so_is_the_antiforgery_token_it_issued()
    {
        using var browser = new Browser(cluster.Url);
        var page = await browser.PageAsync("/account/sign-in");
        var formFrom = browser.LastUpstream;
        var form = RenderedForm.Find(page, "/account/sign-in", ["Email", "Password"])!
            .Set("Email", "leader@example.org").Set("Password", "Demo-Pass-2026!");
        using (var signIn = await browser.SubmitAsync(form))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.NotEqual(formFrom, browser.LastUpstream); // the token one instance put in the form, the other accepted
        }
        var signedInBy = browser.LastUpstream;
        using var next = await browser.GetAsync(DistrictRubric);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode); // the cookie one instance issued, the other accepted
        Assert.NotEqual(signedInBy, browser.LastUpstream);
    }

    [Fact]
    public async Task A3_A_stale_autosave_on_one_instance_after_a_save_on_the_other_is_answered_as_a_conflict()
    {
        // The key leader on the laptop and on the projector's computer: two sessions, one row.
        using var leader = new Browser(cluster.Url);
        using var projector = new Browser(cluster.Url);
        await leader.SignInAsync("leader@example.org");
        await projector.SignInAsync("leader@example.org");
        var leaderForm = RatingForm(await leader.PageAsync(DistrictRubric));
        var projectorForm = RenderedForm.Find(await projector.PageAsync(DistrictRubric), leaderForm.Action, ["Level", "Evidence", "Version"])!;

        using (var first = await leader.SubmitAsync(leaderForm.Set("Evidence", "Saved on one instance"), wantsJson: true))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstBy = leader.LastUpstream;
        using var stale = await projector.SubmitAsync(projectorForm.Set("Evidence", "Saved from an older copy"), wantsJson: true);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.NotEqual(firstBy, projector.LastUpstream);
        using var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync());
        Assert.Equal("Saved on one instance", problem.RootElement.GetProperty("theirs").GetProperty("evidence").GetString());
    }

    [Fact]
    public async Task A4_A_participant_who_joins_on_one_instance_carries_on_on_the_other()
    {
        var workshop = await OpenActivity2Async();
        using var participant = new Browser(cluster.Url);
        var rows = await JoinAsync(participant, workshop.Code, "Dana", group: 0);
        using var save = await participant.SubmitAsync(rows[0].Set("Level", "2").Set("Evidence", "Joined on one, rated on the other"), wantsJson: true);
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        using var poll = await participant.GetAsync("/join/workshop/poll?step=Activity2&since=0");
        Assert.True(poll.IsSuccessStatusCode, $"poll: {(int)poll.StatusCode}");
        // The join, the group, the page, the save and the poll spread over both instances, all as one seat.
        Assert.Equal(Cluster.Instances, participant.Upstreams.Distinct().Count());
    }

    [Fact]
    public async Task A5_A_save_on_one_instance_reaches_a_live_screen_connected_to_the_other_through_redis()
    {
        // run-cluster.sh started a throwaway redis-server on loopback and gave both instances Redis:Configuration.
        var redis = File.ReadAllText(Path.Combine(cluster.StateDirectory, "redis")).Trim();
        Assert.Matches(@"^127\.0\.0\.1:\d+$", redis);

        // The watching screen talks to instance 2 only; the save goes to instance 1 only (no nginx in between).
        using var saver = new Browser(new Uri($"http://127.0.0.1:{cluster.InstancePort(1)}"));
        using var watcher = new Browser(new Uri($"http://127.0.0.1:{cluster.InstancePort(2)}"));
        await saver.SignInAsync("leader@example.org");
        await watcher.SignInAsync("member@example.org");
        var heard = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var live = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{cluster.InstancePort(2)}/live", options => options.Cookies = watcher.Cookies)
            .Build();
        live.On<JsonElement>("changed", message => heard.TrySetResult(message));
        try
        {
            await live.StartAsync();
            Assert.True(await live.InvokeAsync<bool>("Watch", 1, 2));
        }
        catch (Exception)
        {
            output.WriteLine(string.Join("\n", cluster.InstanceLog(2).Split('\n').TakeLast(60)));
            throw;
        }

        var form = RatingForm(await saver.PageAsync(DistrictRubric));
        using (var save = await saver.SubmitAsync(form.Set("Level", "3").Set("Evidence", "Saved on instance 1, heard on instance 2"), wantsJson: true))
            Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        var saved = Stopwatch.StartNew();

        var message = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"Heard on instance 2 {saved.ElapsedMilliseconds} ms after the save on instance 1 returned: {message}");
        Assert.Equal(1, message.GetProperty("district").GetInt32());
        var version = await cluster.QueryAsync<long>("SELECT \"DataVersion\" FROM \"Districts\" WHERE \"Id\" = 1");
        Assert.InRange(message.GetProperty("version").GetInt64(), 1, version);
        // The message says only which district moved, to which version, and that the round was ratings alone (which a
        // presenter view need not ask about): nothing of what was saved.
        Assert.Equal(["district", "onlyRatings", "version"], message.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.True(message.GetProperty("onlyRatings").GetBoolean());
    }

    [Fact]
    public async Task Z_Killing_one_instance_during_a_workshop_loses_no_acknowledged_write()
    {
        var workshop = await OpenActivity2Async();
        var people = new List<(Browser Browser, RenderedForm Row, string RowKey, int Group)>();
        int participants;
        using (var probe = new Browser(cluster.Url)) participants = Math.Min(8, (await JoinAsync(probe, workshop.Code, "Probe", group: 0)).Count);
        for (var i = 0; i < participants; i++)
        {
            var browser = new Browser(cluster.Url);
            var rows = await JoinAsync(browser, workshop.Code, $"Person {i + 1}", group: i % 2);
            // Each person rates a row of their own, so every save is theirs to acknowledge and nobody else's.
            var row = rows[i];
            people.Add((browser, row, row.Element.GetAttribute("data-row-key")!, i % 2));
        }

        var acknowledged = new ConcurrentDictionary<int, int>();
        var errors = 0; var conflicts = 0; var saves = 0; var savesAfterKill = 0;
        var killedAt = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var load = people.Select((person, index) => Task.Run(async () =>
        {
            var version = person.Row.Values.FirstOrDefault(v => v.Key == "Version").Value ?? "";
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var form = person.Row.Copy().Set("Level", ((n % 4) + 1).ToString()).Set("Evidence", $"save {n}");
                // The page's script keeps the form's hidden version at the one it last saw; this browser does the same.
                var values = form.Values.Select(v => v.Key == "Version" ? KeyValuePair.Create(v.Key, version) : v).ToList();
                try
                {
                    using var response = await person.Browser.PostAsync(form.Action, values, wantsJson: true);
                    var text = await response.Content.ReadAsStringAsync();
                    // nginx answers a request cut off at the kill with its own HTML 502 page.
                    using var body = JsonDocument.Parse(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict ? text : "{}");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        version = body.RootElement.GetProperty("version").GetString()!;
                        acknowledged[index] = n;
                        Interlocked.Increment(ref saves);
                        if (killedAt > TimeSpan.Zero) Interlocked.Increment(ref savesAfterKill);
                    }
                    else if (response.StatusCode == HttpStatusCode.Conflict)
                    {
                        // A save cut off at the kill that reached the database anyway: its version is the one to build on.
                        version = body.RootElement.GetProperty("theirs").GetProperty("version").GetString()!;
                        Interlocked.Increment(ref conflicts);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                await Task.Delay(50);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(4));
        cluster.Kill(1);
        killedAt = clock.Elapsed;
        await Task.WhenAll(load);
        output.WriteLine($"{participants} participants, {saves} saves acknowledged ({savesAfterKill} after the kill at {killedAt.TotalSeconds:F1} s), "
            + $"{errors} failed (in flight at the kill), {conflicts} conflicts from saves cut off at the kill");

        Assert.True(savesAfterKill >= participants, "Every participant carries on through the other instance.");
        Assert.True(errors <= participants, $"Only requests in flight at the kill may fail: {errors} failed for {participants} participants.");
        var stored = (await cluster.RowsAsync(
                $"SELECT \"RatingGroupId\", \"RowKey\", \"Evidence\" FROM \"RubricRatings\" WHERE \"CycleId\" = {workshop.CycleId}"))
            .Select(r => (Group: (int)r[0], Row: (string)r[1], Evidence: (string)r[2])).ToList();
        foreach (var (index, last) in acknowledged)
        {
            var person = people[index];
            var evidence = stored.Where(s => s.Row == person.RowKey).Select(s => s.Evidence)
                .Where(e => e.StartsWith("save ", StringComparison.Ordinal)).Select(e => int.Parse(e[5..])).DefaultIfEmpty(0).Max();
            Assert.True(evidence >= last, $"Person {index + 1}'s save {last} was acknowledged, but the database holds save {evidence}.");
        }
        foreach (var person in people) person.Browser.Dispose();
    }

    private static RenderedForm RatingForm(IHtmlDocument page) =>
        RenderedForm.PostFormsOf(page).First(f => Regex.IsMatch(f.Action, "/rubric/groups/\\d+/rows/") && f.Has("Evidence") && f.Has("Version"));

    private async Task<(int Id, string Code, int CycleId)> OpenActivity2Async()
    {
        var open = (await cluster.RowsAsync("SELECT \"Id\", \"Code\", \"CycleId\", \"Step\" FROM \"Workshops\" WHERE \"EndedAt\" IS NULL ORDER BY \"Id\" LIMIT 1")).Single();
        var workshop = ((int)open[0], (string)open[1], (int)open[2]);
        using var facilitator = new Browser(cluster.Url);
        await facilitator.SignInAsync("facilitator@example.org");
        var presenter = await facilitator.PageAsync($"/districts/1/cycles/{workshop.Item3}/workshops/{workshop.Item1}");
        var step = RenderedForm.PostFormsOf(presenter).FirstOrDefault(f => f.Values.Any(v => v.Key == "Step" && v.Value == "Activity2"));
        if (step is not null)
        {
            using var opened = await facilitator.SubmitAsync(step);
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        }
        return workshop;
    }

    /// <summary>Joins with the code and a name, picks a group, and returns the rating forms of the participant page.</summary>
    private static async Task<List<RenderedForm>> JoinAsync(Browser browser, string code, string name, int group)
    {
        var join = RenderedForm.Find(await browser.PageAsync("/join"), "/join", ["Code", "Name"])!.Set("Code", code).Set("Name", name);
        using (var joined = await browser.SubmitAsync(join)) Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        var page = await browser.PageAsync("/join/workshop");
        var pick = RenderedForm.Find(page, "/join/workshop/group", ["GroupId"]);
        if (pick is not null)
        {
            var choices = pick.Element.QuerySelectorAll("input[name=GroupId]").Select(i => i.GetAttribute("value")!).ToList();
            using (var picked = await browser.SubmitAsync(pick.Set("GroupId", choices[group % choices.Count])))
                Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
            page = await browser.PageAsync("/join/workshop");
        }
        var rows = RenderedForm.PostFormsOf(page).Where(f => f.Action.StartsWith("/join/workshop/rows/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        return rows;
    }
}
