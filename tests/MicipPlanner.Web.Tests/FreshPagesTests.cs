using System.Net;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// A district page shows what the database holds when it is asked: another person's save, another server's, a
/// membership deleted outside the app, and each person's own permissions, group, request token and one-time status
/// message.
/// </summary>
public sealed class FreshPagesTests(QueryCountingFactory factory) : IClassFixture<QueryCountingFactory>
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
    public async Task A_change_made_by_another_server_shows_on_the_next_request()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var dashboard = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}";
        await leader.GetHtmlAsync(dashboard);

        // Another web server writing to the same database is just another AppDbContext.
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
    }

    [Fact]
    public async Task Each_person_sees_their_own_permissions_on_the_same_page()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var dune = await factory.WithDbAsync(db => db.Buildings.Where(b => b.Name == "Dune Ridge Elementary").Select(b => b.Id).SingleAsync());
        var template = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/balance/buildings/{dune}";
        var leader = await factory.SignedInAsync("leader@example.org");
        var building = await factory.SignedInAsync("building2@example.org");
        var otherBuilding = await factory.SignedInAsync("building1@example.org");

        var asLeader = await leader.GetHtmlAsync(template);
        var asBuilding = await building.GetHtmlAsync(template);

        Assert.DoesNotContain("Submit template", asLeader);
        Assert.Contains("data-editable=\"false\"", asLeader);
        Assert.Contains("Submit template", asBuilding);
        Assert.Contains("data-editable=\"true\"", asBuilding);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBuilding.GetAsync(template)).StatusCode);
    }

    [Fact]
    public async Task The_rubric_opens_on_the_persons_own_group()
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
    public async Task A_repeated_pages_token_still_posts_and_the_status_message_shows_once()
    {
        var (page, saveUrl, group) = await RubricAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetHtmlAsync(page);
        var repeated = await leader.GetHtmlAsync(page);

        var evidence = "Repeated-page evidence " + Guid.NewGuid().ToString("N");
        var saved = await leader.PostAsync(saveUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TestClient.TokenIn(repeated),
            ["Level"] = "2",
            ["Evidence"] = evidence,
            ["Version"] = (await VersionOfVisionAsync(group))?.ToString() ?? "",
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var afterSave = await leader.GetHtmlAsync(page);
        Assert.Contains("Saved row 1", afterSave);
        Assert.Contains(evidence, afterSave);
        var next = await leader.GetHtmlAsync(page);
        Assert.DoesNotContain("Saved row 1", next); // the message was for one page only
        Assert.Contains(evidence, next);
    }

    [Fact]
    public async Task A_token_from_another_browsers_page_is_refused()
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
        // A delete outside the app (as a cascade or another tool would): the permission check reads the database on
        // every request, so nothing remembered from the pages just read lets the person in.
        var ids = await DemoIds.LoadAsync(factory);
        var building = await factory.SignedInAsync("building1@example.org");
        var template = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/balance/buildings/{ids.LakeshoreBuildings[0]}";
        await building.GetHtmlAsync(template);
        await building.GetHtmlAsync(template);

        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"""DELETE FROM "TeamMemberships" WHERE "DistrictId" = {ids.Lakeshore} AND "UserId" = (SELECT "Id" FROM "AspNetUsers" WHERE "Email" = 'building1@example.org')"""));

        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync(template)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
    }

    [Fact]
    public async Task A_pooled_context_starts_every_request_with_auditing_on()
    {
        // Lease contexts, leaving each as a bulk import would, until the pool hands back one of them: that one must
        // come back reset (else this would prove nothing about resetting it).
        var dirtied = new HashSet<Guid>();
        var checkedReturned = false;
        for (var lease = 0; lease < 50 && !checkedReturned; lease++)
            await factory.WithDbAsync(db =>
            {
                if (dirtied.Contains(db.ContextId.InstanceId))
                {
                    Assert.True(db.AuditEnabled);
                    Assert.False(db.PreserveVersions);
                    checkedReturned = true;
                }
                else
                {
                    dirtied.Add(db.ContextId.InstanceId);
                    db.AuditEnabled = false;
                    db.PreserveVersions = true;
                }
                return Task.CompletedTask;
            });
        Assert.True(checkedReturned, "The pool never handed back a context it had lent: are contexts pooled?");
    }
}
