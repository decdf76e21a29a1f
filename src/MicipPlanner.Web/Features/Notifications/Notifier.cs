using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Notifications;

/// <summary>In-app notices (and e-mail when SMTP is configured) about template submissions and reviews.</summary>
public sealed class Notifier(AppDbContext db, IEmailSender email, TimeProvider clock, ILogger<Notifier> logger)
{
    /// <summary>The district team and the district's facilitators.</summary>
    public async Task ToDistrictSideAsync(int districtId, string text, string link, string? exceptUserId)
    {
        var team = db.TeamMemberships.Where(m => m.DistrictId == districtId && m.BuildingId == null).Select(m => m.UserId);
        var facilitators = db.FacilitatorAssignments.Where(f => f.DistrictId == districtId).Select(f => f.UserId);
        await SendAsync(districtId, await team.Union(facilitators).ToListAsync(), text, link, exceptUserId);
    }

    public async Task ToBuildingTeamAsync(int districtId, int buildingId, string text, string link, string? exceptUserId)
    {
        var team = await db.TeamMemberships.Where(m => m.DistrictId == districtId && m.BuildingId == buildingId).Select(m => m.UserId).Distinct().ToListAsync();
        await SendAsync(districtId, team, text, link, exceptUserId);
    }

    private async Task SendAsync(int districtId, IEnumerable<string> userIds, string text, string link, string? exceptUserId)
    {
        var recipients = userIds.Where(id => id != exceptUserId).Distinct().ToList();
        var now = clock.GetUtcNow();
        db.Notifications.AddRange(recipients.Select(id => new Notification { DistrictId = districtId, UserId = id, Text = text, Link = link, CreatedAt = now }));
        await db.SaveChangesAsync();
        if (!email.IsConfigured) return;
        var addresses = await db.Users.Where(u => recipients.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync();
        foreach (var address in addresses)
        {
            // A mail server hiccup must not undo the workflow step that already happened.
            if (!await email.SendAsync(address, "MICIP Planner: " + text, text + "\n\nOpen it in MICIP Planner: " + link))
                logger.LogInformation("Notification e-mail not delivered to one recipient");
        }
    }
}
