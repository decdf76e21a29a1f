using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Notifications;

public sealed record NotificationView(int Id, string Text, string Link, DateTimeOffset CreatedAt, bool IsRead);

/// <summary>The notices page: the person's notices and their daily digest setting.</summary>
public sealed record NotificationsPage(IReadOnlyList<NotificationView> Items, bool DailyDigest);

/// <summary>The daily digest setting as the form posts it (an unchecked box posts only the hidden "false").</summary>
public sealed class DigestSettingForm
{
    public bool DailyDigest { get; set; }
}

/// <summary>The signed-in person's own notices, and whether they get the daily reminder digest.</summary>
[Authorize, Route("notifications")]
public sealed class NotificationsController(AppDbContext db, DistrictAccessService access, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var userId = access.UserId!;
        var items = await db.Notifications.Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt).Take(100)
            .Select(n => new NotificationView(n.Id, n.Text, n.Link, n.CreatedAt, n.ReadAt != null)).AsNoTracking().ToListAsync();
        var digestOff = await db.Users.Where(u => u.Id == userId).Select(u => u.DailyDigestOff).SingleAsync();
        return View("Notifications", new NotificationsPage(items, !digestOff));
    }

    [HttpPost("digest")]
    public async Task<IActionResult> DigestSetting(DigestSettingForm form)
    {
        var userId = access.UserId!;
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.DailyDigestOff = !form.DailyDigest;
        await db.SaveChangesAsync();
        TempData["Status"] = form.DailyDigest
            ? "The daily digest is on: you get a reminder e-mail on days you have activities due, overdue or without a check-in."
            : "The daily digest is off: you get no reminder e-mails or reminder notices.";
        return RedirectToAction(nameof(Index));
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
