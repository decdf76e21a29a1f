using System.Net;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The personal calendar subscription: made and revoked on its page as rendered, fetched without signing in as a calendar
/// app does, and read back with an iCalendar parser.
/// </summary>
public sealed class CalendarFeedTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string Page = "/account/calendar";
    private const string Evidence = "Evidence-only-for-the-team: minutes of 3 March";

    /// <summary>Makes the signed-in person's feed through the page and returns the address the page shows.</summary>
    private static async Task<Uri> CreateFeedAsync(HttpClient client)
    {
        var response = await client.PostFormAsync(Page, [], Page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var url = Html.Parse(html).QuerySelector("#calendar-url")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(url), "the page shows the new address");
        return new Uri(url);
    }

    private static string TokenOf(Uri feed) => feed.AbsolutePath["/calendar/".Length..^".ics".Length];

    /// <summary>A goal → strategy → activity in <paramref name="districtId"/>'s <paramref name="cycleId"/>, owned by <paramref name="ownerId"/>.</summary>
    private static async Task<PlanActivity> ActivityAsync(Infrastructure.Data.AppDbContext db, int districtId, int cycleId, string title,
        string? ownerId, DateOnly? due, DateOnly? done = null)
    {
        var now = DateTimeOffset.UtcNow;
        var goal = new PlanGoal { DistrictId = districtId, CycleId = cycleId, Statement = "Calendar test goal.", CreatedAt = now };
        db.PlanGoals.Add(goal);
        await db.SaveChangesAsync();
        var strategy = new PlanStrategy { DistrictId = districtId, CycleId = cycleId, GoalId = goal.Id, Title = "Calendar test strategy", CreatedAt = now };
        db.PlanStrategies.Add(strategy);
        await db.SaveChangesAsync();
        var activity = new PlanActivity
        {
            DistrictId = districtId, CycleId = cycleId, StrategyId = strategy.Id, Title = title, OwnerUserId = ownerId,
            StartDate = due?.AddDays(-30), DueDate = due, DoneDate = done, CreatedAt = now,
        };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        return activity;
    }

    private Task<string> UserIdAsync(string email) =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task The_feed_holds_the_owners_activities_of_their_districts_only_and_no_evidence()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await UserIdAsync("leader@example.org");
        var member = await UserIdAsync("member@example.org");
        var due = new DateOnly(2027, 3, 15);
        var (mine, finished, undated, others, elsewhere) = await factory.WithDbAsync(async db =>
        {
            var mine = await ActivityAsync(db, ids.Lakeshore, ids.LakeshoreCycle, "Calendar: coaching schedule set", leader, due);
            db.PlanCheckIns.Add(new PlanCheckIn
            {
                DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, ActivityId = mine.Id, Date = due.AddDays(-10),
                Judgment = TeamJudgment.AtRisk, Note = Evidence, EvidenceLink = "https://example.org/evidence-minutes", ByUserId = leader, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            var finished = await ActivityAsync(db, ids.Lakeshore, ids.LakeshoreCycle, "Calendar: walkthrough tool chosen", leader, due.AddDays(-20), due.AddDays(-22));
            var undated = await ActivityAsync(db, ids.Lakeshore, ids.LakeshoreCycle, "Calendar: no due date yet", leader, null);
            var others = await ActivityAsync(db, ids.Lakeshore, ids.LakeshoreCycle, "Calendar: someone else's activity", member, due);
            // The leader is not on Pine Ridge's team: an activity there naming them must not reach their calendar.
            var elsewhere = await ActivityAsync(db, ids.PineRidge, ids.PineRidgeCycle, "Calendar: another district's activity", leader, due);
            return (mine, finished, undated, others, elsewhere);
        });

        var client = await factory.SignedInAsync("leader@example.org");
        var feedUrl = await CreateFeedAsync(client);

        var calendarApp = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var response = await calendarApp.GetAsync(feedUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("private", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Evidence-only", text);
        Assert.DoesNotContain("evidence-minutes", text);

        var calendar = Ical.Net.Calendar.Load(text)!;
        var events = calendar.Events.ToDictionary(e => e.Uid!);
        var mineEvent = events[$"plan-activity-{mine.Id}@micip-planner"];
        Assert.Equal("Calendar: coaching schedule set (Lakeshore Public Schools)", mineEvent.Summary);
        Assert.False(mineEvent.DtStart!.HasTime, "an all-day event");
        Assert.Equal(due, mineEvent.DtStart.Date);
        Assert.NotNull(mineEvent.DtStamp);
        Assert.Equal($"https://localhost/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/plan", mineEvent.Url?.ToString());
        Assert.StartsWith("Done: ", events[$"plan-activity-{finished.Id}@micip-planner"].Summary);
        Assert.DoesNotContain($"plan-activity-{undated.Id}@micip-planner", events.Keys);
        Assert.DoesNotContain($"plan-activity-{others.Id}@micip-planner", events.Keys);
        Assert.DoesNotContain($"plan-activity-{elsewhere.Id}@micip-planner", events.Keys);
        Assert.All(calendar.Events, e => Assert.DoesNotContain("Pine Ridge", e.Summary));

        // The same event keeps its UID on the next fetch, so calendar apps update it rather than add a copy.
        var again = Ical.Net.Calendar.Load(await calendarApp.GetStringAsync(feedUrl.PathAndQuery))!;
        Assert.Contains(again.Events, e => e.Uid == mineEvent.Uid);
    }

    [Fact]
    public async Task The_token_is_long_random_url_safe_and_kept_only_as_its_hash()
    {
        var client = await factory.SignedInAsync("member@example.org");
        var first = TokenOf(await CreateFeedAsync(client));
        var second = TokenOf(await CreateFeedAsync(client));
        foreach (var token in new[] { first, second })
        {
            Assert.Matches("^[A-Za-z0-9_-]+$", token);
            var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4));
            Assert.True(bytes.Length * 8 >= 128, $"{bytes.Length * 8} random bits");
        }
        Assert.NotEqual(first, second);

        var member = await UserIdAsync("member@example.org");
        var (stored, audit) = await factory.WithDbAsync(async db => (
            await db.CalendarFeeds.Where(f => f.UserId == member).AsNoTracking().ToListAsync(),
            await db.AuditEntries.Where(a => a.EntityType == nameof(CalendarFeed)).Select(a => a.NewValue ?? "").ToListAsync()));
        Assert.DoesNotContain(stored, f => f.TokenHash.Contains(first) || f.TokenHash.Contains(second));
        Assert.Contains(stored, f => f.TokenHash == CalendarFeedTokens.Hash(second) && f.RevokedAt == null);
        // Making a new address ended the first one: one active feed per person.
        Assert.Single(stored, f => f.RevokedAt == null);
        Assert.DoesNotContain(audit, value => value.Contains(first) || value.Contains(second));
        // The audit trail records that the hash was set, never the hash itself.
        Assert.DoesNotContain(audit, value => stored.Any(f => value.Contains(f.TokenHash)));

        var anonymous = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/calendar/{first}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/calendar/{second}.ics")).StatusCode);
        // The page shows the address only when it is made: afterwards the token is nowhere on it.
        var page = await (await client.GetAsync(Page)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(second, page);
    }

    [Fact]
    public async Task Revoking_after_confirmation_makes_the_address_answer_404_at_once()
    {
        var client = await factory.SignedInAsync("building1@example.org");
        var feedUrl = await CreateFeedAsync(client);
        var anonymous = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(feedUrl.PathAndQuery)).StatusCode);

        // The page links to a confirmation; only its form revokes.
        var page = Html.Parse(await (await client.GetAsync(Page)).Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector($"a[href='{Page}/revoke']"));
        Assert.Null(RenderedForm.Find(page, Page + "/revoke", new Dictionary<string, string>()));
        var revoked = await client.PostFormAsync(Page + "/revoke", [], Page + "/revoke");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(feedUrl.PathAndQuery)).StatusCode);
        Assert.Contains("You have no calendar address", await (await client.GetAsync(Page)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_answer_404()
    {
        var anonymous = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/calendar/{CalendarFeedTokens.NewToken()}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/short.ics")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_security_links_to_the_calendar_page()
    {
        var client = await factory.SignedInAsync("leader@example.org");
        var security = Html.Parse(await (await client.GetAsync("/account/security")).Content.ReadAsStringAsync());
        Assert.NotNull(security.QuerySelector($"a[href='{Page}']"));
    }

    [Fact]
    public async Task Fetches_past_the_limit_answer_429()
    {
        const int permits = 3;
        await using var server = MicipWebFactory.With(new()
        {
            Settings = new Dictionary<string, string?>
            {
                ["Security:CalendarFeedPermits"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Security:CalendarFeedWindowSeconds"] = "600",
            },
        });
        var feedUrl = await CreateFeedAsync(await server.SignedInAsync("leader@example.org"));
        var calendarApp = server.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        for (var i = 0; i < permits; i++)
            Assert.Equal(HttpStatusCode.OK, (await calendarApp.GetAsync(feedUrl.PathAndQuery)).StatusCode);
        var refused = await calendarApp.GetAsync(feedUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
    }
}
