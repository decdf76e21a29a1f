using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Notifications;

public sealed record NotificationView(int Id, string Text, string Link, DateTimeOffset CreatedAt, bool IsRead);

/// <summary>The signed-in person's own notices.</summary>
[Authorize, Route("notifications")]
public sealed class NotificationsController(AppDbContext db, DistrictAccessService access, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var userId = access.UserId!;
        var items = await db.Notifications.Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt).Take(100)
            .Select(n => new NotificationView(n.Id, n.Text, n.Link, n.CreatedAt, n.ReadAt != null)).AsNoTracking().ToListAsync();
        return View("~/Features/Notifications/Notifications.cshtml", items);
    }

    [HttpPost("read")]
    public async Task<IActionResult> MarkAllRead()
    {
        var userId = access.UserId!;
        var now = clock.GetUtcNow();
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ToListAsync();
        foreach (var n in unread) n.ReadAt = now;
        await db.SaveChangesAsync();
        return RedirectToAction(nameof(Index));
    }
}
