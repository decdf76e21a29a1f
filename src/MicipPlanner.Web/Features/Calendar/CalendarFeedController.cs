using System.Security.Claims;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Calendar;

/// <summary>What the calendar page shows; <see cref="NewUrl"/> only in the answer that made the feed (ADR 19).</summary>
public sealed record CalendarFeedPage(bool Active, DateTimeOffset? CreatedAt, string? NewUrl);

/// <summary>
/// A person's calendar subscription: the page under their account where they make or revoke it, and the feed itself,
/// which a calendar app fetches without signing in (the token in the address is the secret).
/// </summary>
public sealed class CalendarFeedController(AppDbContext db, TimeProvider clock, IConfiguration configuration,
    ILogger<CalendarFeedController> logger) : Controller
{
    public const string RateLimitPolicy = "calendar-feed";

    [HttpGet("account/calendar"), Authorize]
    public async Task<IActionResult> Index() => View("Index", await PageAsync(null));

    /// <summary>A new address; any earlier one stops working in the same save.</summary>
    [HttpPost("account/calendar"), Authorize]
    public async Task<IActionResult> Create()
    {
        var now = clock.GetUtcNow();
        await RevokeActiveAsync(now);
        var token = CalendarFeedTokens.NewToken();
        db.CalendarFeeds.Add(new CalendarFeed { UserId = CurrentUserId, TokenHash = CalendarFeedTokens.Hash(token), CreatedAt = now });
        await db.SaveChangesAsync();
        logger.LogInformation("User {UserId} made a calendar feed", CurrentUserId);
        // Shown in this answer only: the database keeps just the hash, so the address cannot be shown again.
        return View("Index", await PageAsync(BaseUrl() + FeedPath(token)));
    }

    [HttpGet("account/calendar/revoke"), Authorize]
    public async Task<IActionResult> Revoke() =>
        View("Revoke", await db.CalendarFeeds.AnyAsync(f => f.UserId == CurrentUserId && f.RevokedAt == null));

    [HttpPost("account/calendar/revoke"), Authorize]
    public async Task<IActionResult> RevokeConfirmed()
    {
        if (await RevokeActiveAsync(clock.GetUtcNow()))
        {
            await db.SaveChangesAsync();
            logger.LogInformation("User {UserId} revoked their calendar feed", CurrentUserId);
            TempData["Status"] = "Your calendar address is revoked: calendar apps that use it get nothing more.";
        }
        return RedirectToAction(nameof(Index));
    }

    /// <summary>
    /// The feed: one all-day event per activity the person owns in a district whose team they are on, and one per monitoring
    /// period for each building team they are on (its report's due date).
    /// </summary>
    [HttpGet("calendar/{token}.ics"), AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    public async Task<IActionResult> Feed(string token)
    {
        if (!CalendarFeedTokens.IsWellFormed(token)) return NotFound();
        var hash = CalendarFeedTokens.Hash(token);
        var userId = await db.CalendarFeeds.Where(f => f.TokenHash == hash && f.RevokedAt == null).Select(f => f.UserId).SingleOrDefaultAsync();
        if (userId is null) return NotFound();

        // Only districts the person is on the team of now: a person who left a district no longer sees its plan.
        var items = await (
            from a in db.PlanActivities
            where a.OwnerUserId == userId && a.DueDate != null
                && db.TeamMemberships.Any(m => m.UserId == userId && m.DistrictId == a.DistrictId)
            join d in db.Districts on a.DistrictId equals d.Id
            orderby a.DueDate, a.Id
            select new CalendarActivity(a.Id, a.DistrictId, a.CycleId, a.Title, d.Name, a.DueDate!.Value, a.DoneDate))
            .AsNoTracking().ToListAsync();

        // The monitoring reports the person's building teams must submit: every period of their districts' cycles.
        var reports = await (
            from m in db.TeamMemberships
            where m.UserId == userId && m.BuildingId != null
            join p in db.MonitoringPeriods on m.DistrictId equals p.DistrictId
            join b in db.Buildings on m.BuildingId equals b.Id
            join d in db.Districts on m.DistrictId equals d.Id
            orderby p.DueDate, p.Id, b.Name
            select new CalendarReport(p.Id, b.Id, d.Id, p.CycleId, p.Name, b.Name, d.Name, p.DueDate,
                db.BuildingReports.Any(r => r.PeriodId == p.Id && r.BuildingId == b.Id
                    && (r.State == Domain.Balance.TemplateState.Submitted || r.State == Domain.Balance.TemplateState.Accepted))))
            .AsNoTracking().ToListAsync();

        var baseUrl = BaseUrl();
        var ics = CalendarFeedWriter.Write(items, reports.DistinctBy(r => (r.PeriodId, r.BuildingId)), clock.GetUtcNow(),
            item => baseUrl + Url.Action("Index", "Plan", new { districtId = item.DistrictId, cycleId = item.CycleId }),
            report => baseUrl + Url.Action("Report", "BuildingReports",
                new { districtId = report.DistrictId, cycleId = report.CycleId, periodId = report.PeriodId, buildingId = report.BuildingId }));
        // The answer is one person's data: no shared cache may keep it.
        Response.Headers.CacheControl = "private, no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8");
    }

    public static string FeedPath(string token) => $"/calendar/{token}.ics";

    private async Task<bool> RevokeActiveAsync(DateTimeOffset now)
    {
        var active = await db.CalendarFeeds.Where(f => f.UserId == CurrentUserId && f.RevokedAt == null).ToListAsync();
        foreach (var feed in active) feed.RevokedAt = now;
        return active.Count > 0;
    }

    private async Task<CalendarFeedPage> PageAsync(string? newUrl)
    {
        var active = await db.CalendarFeeds.Where(f => f.UserId == CurrentUserId && f.RevokedAt == null)
            .OrderByDescending(f => f.Id).Select(f => new { f.CreatedAt }).AsNoTracking().FirstOrDefaultAsync();
        return new CalendarFeedPage(active is not null, active?.CreatedAt, newUrl);
    }

    private string CurrentUserId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in person.");

    private string BaseUrl()
    {
        // Behind a proxy the public address may differ from the one the request came in on.
        var configured = configuration["App:PublicUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        return $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
    }
}
