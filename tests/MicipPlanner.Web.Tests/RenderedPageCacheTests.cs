using System.Net;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// Whole pages kept per person and browser (RenderedPageCache) and permission checks kept under SQLite's change
/// counter (DistrictAccessMemo): what is sent again must be exactly what would be rendered again.
/// </summary>
public sealed class RenderedPageCacheTests(CachingQueryCountingFactory factory) : IClassFixture<CachingQueryCountingFactory>
{
    private async Task<(string Page, string SaveUrl, int Group)> RubricAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var rubric = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric";
        var group = await factory.WithDbAsync(db => db.RatingGroups.Where(g => g.CycleId == ids.LakeshoreCycle && g.IsWholeTeam).Select(g => g.Id).SingleAsync());
        return ($"{rubric}?group={group}", $"{rubric}/groups/{group}/rows/vision", group);
    }

    private Task<Guid?> VersionOfVisionAsync(int group) =>
        factory.WithDbAsync(db => db.RubricRatings.Where(r => r.RatingGroupId == group && r.RowKey == "vision").Select(r => (Guid?)r.Version).SingleOrDefaultAsync());

    [Fact]
    public async Task The_token_of_a_kept_page_still_posts_and_the_status_message_shows_once()
    {
        var (page, saveUrl, group) = await RubricAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetHtmlAsync(page);
        var kept = await leader.GetHtmlAsync(page);

        var evidence = "Kept-page evidence " + Guid.NewGuid().ToString("N");
        var saved = await leader.PostAsync(saveUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TestClient.TokenIn(kept),
            ["Level"] = "2",
            ["Evidence"] = evidence,
            ["Version"] = (await VersionOfVisionAsync(group))?.ToString() ?? "",
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var afterSave = await leader.GetHtmlAsync(page);
        Assert.Contains("Saved row 1", afterSave);
        Assert.Contains(evidence, afterSave);
        var next = await leader.GetHtmlAsync(page);
        Assert.DoesNotContain("Saved row 1", next); // the message was for one page only, kept pages included
        Assert.Contains(evidence, next);
    }

    [Fact]
    public async Task A_token_from_another_browsers_kept_page_is_refused()
    {
        var (page, saveUrl, group) = await RubricAsync();
        var first = await factory.SignedInAsync("leader@example.org");
        var second = await factory.SignedInAsync("leader@example.org");
        await first.GetHtmlAsync(page);
        var firstPage = await first.GetHtmlAsync(page);
        var secondPage = await second.GetHtmlAsync(page);

        var version = (await VersionOfVisionAsync(group))?.ToString() ?? "";
        Dictionary<string, string> Form(string token) => new()
        {
            ["__RequestVerificationToken"] = token, ["Level"] = "3", ["Evidence"] = "From the second browser", ["Version"] = version,
        };
        Assert.NotEqual(TestClient.TokenIn(firstPage), TestClient.TokenIn(secondPage));
        var crossed = await second.PostAsync(saveUrl, new FormUrlEncodedContent(Form(TestClient.TokenIn(firstPage))));
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        var own = await second.PostAsync(saveUrl, new FormUrlEncodedContent(Form(TestClient.TokenIn(secondPage))));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
    }

    [Fact]
    public async Task A_membership_removed_outside_the_app_closes_the_district_on_the_next_request()
    {
        // A delete that raises no data version (as a cascade or another tool would): SQLite's change counter still
        // moves, so the kept permission check is not used and the kept page is not sent.
        var ids = await DemoIds.LoadAsync(factory);
        var building = await factory.SignedInAsync("building1@example.org");
        var template = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/balance/buildings/{ids.LakeshoreBuildings[0]}";
        await building.GetHtmlAsync(template);
        await building.GetHtmlAsync(template);

        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM TeamMemberships WHERE DistrictId = {ids.Lakeshore} AND UserId = (SELECT Id FROM AspNetUsers WHERE Email = 'building1@example.org')"));

        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync(template)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
    }

    [Fact]
    public async Task The_change_counter_moves_with_every_commit_of_another_connection_and_only_then()
    {
        var file = Path.Combine(factory.DataFolder, "counter-" + Guid.NewGuid().ToString("N") + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        await using (var writer = new SqliteConnection(connectionString))
        {
            await writer.OpenAsync();
            await Execute(writer, "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);");
            using var counter = new SqliteChangeCounter(connectionString);
            Assert.True(counter.Available);
            var before = counter.Read();
            Assert.NotNull(before);
            Assert.Equal(before, counter.Read());

            await Execute(writer, "INSERT INTO t VALUES (1);");
            var afterInsert = counter.Read();
            Assert.NotEqual(before, afterInsert);
            Assert.Equal(afterInsert, counter.Read());

            await Execute(writer, "SELECT COUNT(*) FROM t;"); // reading commits nothing
            Assert.Equal(afterInsert, counter.Read());
        }

        using var memory = new SqliteChangeCounter("Data Source=:memory:");
        Assert.False(memory.Available);
        Assert.Null(memory.Read());
        using var sqlServer = new SqliteChangeCounter(null);
        Assert.Null(sqlServer.Read());

        static async Task Execute(SqliteConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
