using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>
/// Twenty people save the same rubric row, and the same template item, at once for a few seconds.
/// Every save wins (2xx, new version) or is told of a conflict (409); what is stored at the end is the
/// last confirmed save, and the confirmed saves form one unbroken chain of versions (none was lost).
/// </summary>
public sealed class ConcurrencyTests(MicipWebFactory factory, ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    private const int Writers = 20;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(4);

    private sealed record Confirmed(string Value, Guid Base, Guid New);

    private async Task<(int District, int Cycle, int Group)> ArrangeAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var email in new[] { "writer1@example.org", "writer2@example.org" })
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(user, TestClient.DemoPassword)).Succeeded);
            db.TeamMemberships.Add(new TeamMembership { DistrictId = ids.Lakeshore, UserId = user.Id, Role = TeamRole.CommunityRepresentative, JoinedAt = DateTimeOffset.UtcNow });
        }
        await db.SaveChangesAsync();
        var cycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
        var group = await db.RatingGroups.Where(g => g.CycleId == cycle.Id).Select(g => g.Id).FirstAsync();
        return (ids.Lakeshore, cycle.Id, group);
    }

    private async Task<List<HttpClient>> SessionsAsync(string formPage)
    {
        var jars = new List<System.Net.CookieContainer>();
        foreach (var email in new[] { "leader@example.org", "member@example.org", "facilitator@example.org", "writer1@example.org", "writer2@example.org" })
            jars.Add(await Sessions.SignInJarAsync(factory, email));
        var clients = new List<HttpClient>();
        for (var i = 0; i < Writers; i++)
        {
            var client = Sessions.NewSession(factory, jars[i % jars.Count]);
            client.DefaultRequestHeaders.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync(formPage));
            client.DefaultRequestHeaders.Add("Accept", "application/json");
            clients.Add(client);
        }
        return clients;
    }

    /// <summary>Runs the writers; each posts its own values with the last version it saw.</summary>
    private static async Task<(List<Confirmed> Confirmed, int Conflicts, List<string> Failures, int Attempts)> RaceAsync(
        List<HttpClient> clients, Guid initial, Func<HttpClient, string, Guid, Task<HttpResponseMessage>> save)
    {
        var confirmed = new ConcurrentBag<Confirmed>();
        var failures = new ConcurrentBag<string>();
        var conflicts = 0;
        var attempts = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, writer) => Task.Run(async () =>
        {
            var seen = initial;
            for (var n = 0; clock.Elapsed < Duration; n++)
            {
                var value = $"writer {writer} save {n}";
                Interlocked.Increment(ref attempts);
                using var response = await save(client, value, seen);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var version = JsonDocument.Parse(body).RootElement.GetProperty("version").GetGuid();
                    confirmed.Add(new Confirmed(value, seen, version));
                    seen = version;
                }
                else if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"409 answered as {response.Content.Headers.ContentType?.MediaType}, not as a problem");
                    var root = JsonDocument.Parse(body).RootElement;
                    if (!root.GetProperty("conflict").GetBoolean()) failures.Add("409 without conflict: true");
                    var theirs = root.TryGetProperty("theirs", out var t) ? t.GetProperty("version") : root.GetProperty("version");
                    seen = theirs.GetGuid();
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");
                }
            }
        })));
        return (confirmed.ToList(), conflicts, failures.ToList(), attempts);
    }

    /// <summary>The confirmed saves chain from the first version to the stored one, each built on the one before.</summary>
    private static void AssertOneUnbrokenChain(List<Confirmed> confirmed, Guid initial, Guid stored, string storedValue)
    {
        Assert.NotEmpty(confirmed);
        var byBase = confirmed.GroupBy(c => c.Base).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(byBase, b => Assert.True(b.Value.Count == 1, $"{b.Value.Count} saves were confirmed on the same version {b.Key}: one of them was lost"));
        var at = initial;
        var steps = 0;
        Confirmed? last = null;
        while (byBase.TryGetValue(at, out var next))
        {
            last = next[0];
            at = last.New;
            steps++;
        }
        Assert.Equal(confirmed.Count, steps);
        Assert.Equal(stored, at);
        Assert.Equal(last!.Value, storedValue);
    }

    [Fact]
    public async Task Twenty_editors_on_one_rubric_row_every_save_wins_or_conflicts_and_none_is_lost()
    {
        var (d, c, g) = await ArrangeAsync();
        var rubric = $"/districts/{d}/cycles/{c}/rubric";
        var url = $"{rubric}/groups/{g}/rows/vision";
        var clients = await SessionsAsync(rubric);

        var first = await clients[0].PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Level"] = "1", ["Evidence"] = "start", ["Version"] = "" }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var initial = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetGuid();

        var (confirmed, conflicts, failures, attempts) = await RaceAsync(clients, initial, (client, value, version) =>
            client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Level"] = (value.Length % 4 + 1).ToString(), ["Evidence"] = value, ["Version"] = version.ToString(),
            })));

        Assert.Empty(failures);
        var stored = await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == g && r.RowKey == "vision").Select(r => new { r.Version, r.Evidence }).SingleAsync());
        AssertOneUnbrokenChain(confirmed, initial, stored.Version, stored.Evidence);
        Assert.Equal(confirmed.Count + 1, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "RubricRating" && a.Field == "Evidence" && a.NewValue != null && (a.NewValue.StartsWith("writer ") || a.NewValue == "start"))));
        output.WriteLine($"FIGURE concurrency rubric: {Writers} writers, {attempts} saves, {confirmed.Count} confirmed, {conflicts} conflicts");
    }

    [Fact]
    public async Task Twenty_editors_on_one_template_item_every_save_wins_or_conflicts_and_none_is_lost()
    {
        var (d, c, _) = await ArrangeAsync();
        var url = $"/districts/{d}/cycles/{c}/balance/district";
        var clients = await SessionsAsync(url);
        Dictionary<string, string> Form(string value, Guid? version) => new()
        {
            ["Items[0].RowNumber"] = "1", ["Items[0].Function"] = "District", ["Items[0].Status"] = "NeedsStrengthening",
            ["Items[0].Evidence"] = value, ["Items[0].NextAction"] = "Plan", ["Items[0].Owner"] = "Team",
            ["Version"] = version?.ToString() ?? "",
        };

        var first = await clients[0].PostAsync(url, new FormUrlEncodedContent(Form("start", null)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var initial = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetGuid();

        var (confirmed, conflicts, failures, attempts) = await RaceAsync(clients, initial, (client, value, version) =>
            client.PostAsync(url, new FormUrlEncodedContent(Form(value, version))));

        Assert.Empty(failures);
        var stored = await factory.WithDbAsync(async db =>
        {
            var template = await db.BalanceTemplates.Include(t => t.Items).SingleAsync(t => t.CycleId == c && t.BuildingId == null);
            return new { template.Version, Items = template.Items.Count, template.Items.Single().Evidence };
        });
        Assert.Equal(1, stored.Items);
        AssertOneUnbrokenChain(confirmed, initial, stored.Version, stored.Evidence);
        output.WriteLine($"FIGURE concurrency template: {Writers} writers, {attempts} saves, {confirmed.Count} confirmed, {conflicts} conflicts");
    }
}
