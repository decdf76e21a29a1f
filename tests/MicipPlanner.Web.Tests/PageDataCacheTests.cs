using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicipPlanner.Web.Tests;

/// <summary>The key pages that keep their data (the review queue and rubric history read fresh every time).</summary>
internal static partial class KeptPageData
{
    private static readonly string[] CachedPages = ["dashboard", "rubric", "group comparison", "building template", "roll-up", "district template"];

    public static IEnumerable<KeyValuePair<string, string>> KeyPages(DemoIds ids) =>
        QueryBudgetTests.KeyPages(ids).Where(p => CachedPages.Contains(p.Key));

    /// <summary>What differs from one request to the next by design: the form token and the moment live updates start from.</summary>
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"|data-since=\"\\d+\"")]
    private static partial Regex PerRequestField();

    public static string WithoutTokens(string html) => PerRequestField().Replace(html, "");

    /// <summary>Moves the district's data version as a save would, so the next request reads everything afresh.</summary>
    public static Task MoveVersionAsync(MicipWebFactory factory, int districtId) =>
        factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE Districts SET DataVersion = DataVersion + 1 WHERE Id = {districtId}"));
}

/// <summary>
/// Key pages reuse what they read while nothing in the district changed, and never show data older than the database
/// held when the request began: every save raises the district's data version in its own transaction.
/// </summary>
public sealed class PageDataCacheTests(CachingQueryCountingFactory factory) : IClassFixture<CachingQueryCountingFactory>
{
    [Fact]
    public async Task A_repeated_page_sends_only_the_permission_check()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        foreach (var (name, url) in KeptPageData.KeyPages(ids))
        {
            var first = await leader.GetHtmlAsync(url);
            factory.Counter.Clear();
            var second = await leader.GetHtmlAsync(url);
            var commands = factory.Counter.CommandsFor(url);
            Assert.True(commands.Count == 1, $"{name}: {commands.Count} commands on a repeated request:\n" + string.Join("\n---\n", commands));
            Assert.Equal(KeptPageData.WithoutTokens(first), KeptPageData.WithoutTokens(second));
        }
    }

    [Fact]
    public async Task The_data_version_in_the_database_is_what_lets_a_page_reuse_data()
    {
        // Another web server writing to the same database is just another AppDbContext: nothing tells this process
        // except the district's data version, read with the permission check.
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
        await KeptPageData.MoveVersionAsync(factory, ids.Lakeshore);
        Assert.Contains(renamed, await leader.GetHtmlAsync(dashboard));
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
}

/// <summary>
/// A page's kept data is keyed by district, page and data version only, so it must hold nothing that depends on who
/// asks or when. Each key page is read through data kept for someone else or at another time, then afresh (the version
/// moved), and the two must be the same page. A new page that keeps data depending on the person's permissions, their
/// group or the clock fails here. The app renders in one culture (there is no request localization), so culture is not
/// an input yet; a page that starts to depend on it needs a variation here.
/// </summary>
public sealed class PageDataKeyTests(MovableClockCachingFactory factory) : IClassFixture<MovableClockCachingFactory>
{
    private async Task AssertSameAsFreshAsync(string name, string url, HttpClient reader, int districtId)
    {
        var kept = await reader.GetAsync(url);
        var keptHtml = await kept.Content.ReadAsStringAsync();
        await KeptPageData.MoveVersionAsync(factory, districtId);
        var fresh = await reader.GetAsync(url);
        Assert.Equal(fresh.StatusCode, kept.StatusCode);
        Assert.True(KeptPageData.WithoutTokens(await fresh.Content.ReadAsStringAsync()) == KeptPageData.WithoutTokens(keptHtml),
            $"{name} ({url}) rendered from data kept for someone else or at another time differs from the page read afresh");
    }

    [Theory]
    [InlineData("member@example.org")]
    [InlineData("facilitator@example.org")]
    [InlineData("building1@example.org")]
    public async Task Data_kept_for_the_key_leader_renders_each_page_as_another_person_would_see_it_afresh(string email)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var other = await factory.SignedInAsync(email);
        var seen = 0;
        foreach (var (name, url) in KeptPageData.KeyPages(ids))
        {
            Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync(url)).StatusCode); // keeps the page's data
            await AssertSameAsFreshAsync(name, url, other, ids.Lakeshore);
            seen++;
        }
        Assert.Equal(6, seen);
    }

    [Fact]
    public async Task Data_kept_yesterday_renders_each_page_as_it_is_read_today()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var started = factory.Clock.GetUtcNow();
        try
        {
            foreach (var (name, url) in KeptPageData.KeyPages(ids))
            {
                factory.Clock.AdjustTime(started);
                var before = await factory.SignedInAsync("leader@example.org");
                Assert.Equal(HttpStatusCode.OK, (await before.GetAsync(url)).StatusCode); // keeps the page's data
                // Over a year later the demo's open action item (due in three weeks) is overdue.
                factory.Clock.AdjustTime(started.AddDays(400));
                var after = await factory.SignedInAsync("leader@example.org");
                await AssertSameAsFreshAsync(name, url, after, ids.Lakeshore);
            }
            var dashboard = await (await factory.SignedInAsync("leader@example.org")).GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
            Assert.Contains("(overdue)", dashboard); // the clock did change what the page shows
        }
        finally
        {
            factory.Clock.AdjustTime(started);
        }
    }
}
