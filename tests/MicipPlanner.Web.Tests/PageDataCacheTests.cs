using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

/// <summary>The app as it runs: page data reused while the district's data version is unchanged, every command counted.</summary>
public sealed class CachingQueryCountingFactory : QueryCountingFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("PageCache:Enabled", "true")];
}

/// <summary>
/// Key pages reuse what they read while nothing in the district changed, and never show data older than the database
/// held when the request began: every save raises the district's data version in its own transaction.
/// </summary>
public sealed partial class PageDataCacheTests(CachingQueryCountingFactory factory) : IClassFixture<CachingQueryCountingFactory>
{
    /// <summary>The key pages that keep their data (the review queue and rubric history read fresh every time).</summary>
    private static readonly string[] CachedPages = ["dashboard", "rubric", "group comparison", "building template", "roll-up", "district template"];

    private static IEnumerable<KeyValuePair<string, string>> KeyPages(DemoIds ids) =>
        QueryBudgetTests.KeyPages(ids).Where(p => CachedPages.Contains(p.Key));

    /// <summary>What differs from one request to the next by design: the form token and the moment live updates start from.</summary>
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"|data-since=\"\\d+\"")]
    private static partial Regex PerRequestField();

    private static string WithoutTokens(string html) => PerRequestField().Replace(html, "");

    [Fact]
    public async Task A_repeated_page_sends_no_query_and_a_fresh_browser_gets_the_same_page_with_its_own_token()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var otherBrowser = await factory.SignedInAsync("leader@example.org");
        var leader = await factory.SignedInAsync("leader@example.org");
        foreach (var (name, url) in KeyPages(ids))
        {
            var first = await leader.GetHtmlAsync(url);
            factory.Counter.Clear();
            var second = await leader.GetHtmlAsync(url);
            Assert.True(factory.Counter.CommandsFor(url).Count == 0,
                $"{name}: {factory.Counter.CommandsFor(url).Count} commands on a repeated request:\n" + string.Join("\n---\n", factory.Counter.CommandsFor(url)));
            Assert.Equal(first, second); // the kept page, token and all

            // The same person in another browser: the permission check and the page data are reused (nothing was
            // committed since), but the page is rendered again for that browser's own antiforgery cookie.
            var elsewhere = await otherBrowser.GetHtmlAsync(url);
            Assert.Empty(factory.Counter.CommandsFor(url));
            Assert.NotEqual(TestClient.TokenIn(first), TestClient.TokenIn(elsewhere));
            Assert.Equal(WithoutTokens(first), WithoutTokens(elsewhere));
        }
    }

    [Fact]
    public async Task A_rating_saved_by_someone_else_shows_on_the_next_request()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var rubric = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric";
        var group = await factory.WithDbAsync(db => db.RatingGroups.Where(g => g.CycleId == ids.LakeshoreCycle && g.IsWholeTeam).Select(g => g.Id).SingleAsync());
        var page = $"{rubric}?group={group}";
        var compare = $"{rubric}/compare";
        await leader.GetHtmlAsync(page);
        await leader.GetHtmlAsync(compare);

        var marker = "Evidence " + Guid.NewGuid().ToString("N");
        var version = await factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == group && r.RowKey == "vision").Select(r => (Guid?)r.Version).SingleOrDefaultAsync());
        var saved = await member.PostFormAsync($"{rubric}/groups/{group}/rows/vision",
            new() { ["Level"] = "3", ["Evidence"] = marker, ["Version"] = version?.ToString() ?? "" }, formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        Assert.Contains(marker, await leader.GetHtmlAsync(page));
        Assert.Contains(marker, await leader.GetHtmlAsync(compare));
    }

    [Fact]
    public async Task The_data_version_in_the_database_is_what_lets_a_page_reuse_data()
    {
        // Another web server writing to the same database is just another AppDbContext: nothing tells this process
        // except the database itself (SQLite's change counter, then the district's data version in the permission check).
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var dashboard = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        await leader.GetHtmlAsync(dashboard);

        var title = "Action " + Guid.NewGuid().ToString("N");
        await using (var scope = factory.Scope())
        {
            var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<AppDbContext>>();
            await using var otherServer = new AppDbContext(options);
            otherServer.ActionItems.Add(new Domain.Rubric.ActionItem
            {
                DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, Title = title, CreatedAt = DateTimeOffset.UtcNow,
            });
            await otherServer.SaveChangesAsync();
        }
        Assert.Contains(title, await leader.GetHtmlAsync(dashboard));

        // A change that bypasses the app (and so the version) is not seen until the version moves: proof that the
        // version, not luck, decides.
        var renamed = "Renamed " + Guid.NewGuid().ToString("N");
        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE ActionItems SET Title = {renamed} WHERE Title = {title}"));
        Assert.DoesNotContain(renamed, await leader.GetHtmlAsync(dashboard));
        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE Districts SET DataVersion = DataVersion + 1 WHERE Id = {ids.Lakeshore}"));
        Assert.Contains(renamed, await leader.GetHtmlAsync(dashboard));
    }

    [Fact]
    public async Task Each_person_sees_their_own_permissions_on_a_page_whose_data_is_shared()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var dune = await factory.WithDbAsync(db => db.Buildings.Where(b => b.Name == "Dune Ridge Elementary").Select(b => b.Id).SingleAsync());
        var template = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/balance/buildings/{dune}";
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync("building2@example.org");
        var otherBuilding = await factory.SignedInAsync("building1@example.org");

        var asLeader = await leader.GetHtmlAsync(template);
        factory.Counter.Clear();
        var asBuilding = await building.GetHtmlAsync(template);
        Assert.Single(factory.Counter.CommandsFor(template)); // the leader's read serves the building team too

        Assert.DoesNotContain("Submit template", asLeader);
        Assert.Contains("data-editable=\"false\"", asLeader);
        Assert.Contains("Submit template", asBuilding);
        Assert.Contains("data-editable=\"true\"", asBuilding);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBuilding.GetAsync(template)).StatusCode);
    }

    [Fact]
    public async Task The_rubric_opens_on_the_persons_own_group_with_shared_data()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var rubric = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric";
        var groups = await factory.WithDbAsync(db => db.RatingGroups.Where(g => g.CycleId == ids.LakeshoreCycle && !g.IsWholeTeam)
            .Select(g => new { g.Id, g.Name, Members = g.Members.Select(m => db.Users.Where(u => u.Id == m.UserId).Select(u => u.Email).FirstOrDefault()).ToList() })
            .ToListAsync());
        var leaderGroup = groups.First(g => g.Members.Contains("leader@example.org"));
        var memberGroup = groups.First(g => g.Members.Contains("member@example.org") && !g.Members.Contains("leader@example.org"));

        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        Assert.Contains($"/groups/{leaderGroup.Id}/rows/", await leader.GetHtmlAsync(rubric));
        Assert.Contains($"/groups/{memberGroup.Id}/rows/", await member.GetHtmlAsync(rubric));
    }

    [Fact]
    public async Task A_save_raises_the_data_version_of_its_own_district_only()
    {
        var ids = await DemoIds.LoadAsync(factory);
        async Task<(long Lakeshore, long PineRidge)> VersionsAsync() => await factory.WithDbAsync(async db =>
        {
            var versions = await db.Districts.Where(d => d.Id == ids.Lakeshore || d.Id == ids.PineRidge)
                .Select(d => new { d.Id, V = EF.Property<long>(d, AppDbContext.DataVersion) }).ToDictionaryAsync(d => d.Id, d => d.V);
            return (versions[ids.Lakeshore], versions[ids.PineRidge]);
        });
        var before = await VersionsAsync();
        await factory.WithDbAsync(async db =>
        {
            db.ActionItems.Add(new Domain.Rubric.ActionItem { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, Title = "Version test", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var after = await VersionsAsync();
        Assert.True(after.Lakeshore > before.Lakeshore);
        Assert.Equal(before.PineRidge, after.PineRidge);
        // Reading changes nothing.
        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
        Assert.Equal(after, await VersionsAsync());
    }

    [Fact]
    public async Task A_pooled_context_starts_every_request_with_auditing_on()
    {
        await factory.WithDbAsync(db =>
        {
            db.AuditEnabled = false; // as a bulk import would leave it
            db.PreserveVersions = true;
            return Task.CompletedTask;
        });
        for (var i = 0; i < 3; i++)
            await factory.WithDbAsync(db =>
            {
                Assert.True(db.AuditEnabled);
                Assert.False(db.PreserveVersions);
                return Task.CompletedTask;
            });
    }
}
