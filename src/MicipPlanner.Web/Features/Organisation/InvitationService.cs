using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>What the inviter sees: whether the e-mail went out, and otherwise the link to pass on.</summary>
public sealed record InvitationSent(int DistrictId, string Email, string Offer, string Link, bool Emailed, bool EmailConfigured,
    DateTimeOffset ExpiresAt, TimeZoneInfo Zone, string BackUrl);

/// <summary>
/// Creates invitations: the secret token goes only into the link (the database keeps its hash), and the
/// link is e-mailed when SMTP is configured — otherwise, or when sending fails, it is shown to the inviter.
/// </summary>
public sealed class InvitationService(AppDbContext db, IEmailSender email, TimeProvider clock, IConfiguration configuration)
{
    public async Task<InvitationSent> CreateAsync(Invitation invitation, string inviterName, HttpRequest request, string backUrl,
        CancellationToken cancellationToken = default)
    {
        var token = InvitationTokens.NewToken();
        var now = clock.GetUtcNow();
        invitation.Email = FormText.Clean(invitation.Email);
        invitation.DisplayName = FormText.Clean(invitation.DisplayName);
        invitation.TokenHash = InvitationTokens.Hash(token);
        invitation.CreatedAt = now;
        invitation.ExpiresAt = now + Invitation.Lifetime;
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);

        var district = await db.Districts.Where(d => d.Id == invitation.DistrictId).Select(d => new { d.Name, d.TimeZoneId })
            .AsNoTracking().SingleAsync(cancellationToken);
        var offer = await DescribeAsync(db, invitation, district.Name, cancellationToken);
        var zone = TimeZones.Find(district.TimeZoneId);
        // The code follows "#", so it is never sent in a request line (and never lands in a server log).
        var link = $"{BaseUrl(request)}/invitations/open#{token}";

        var emailed = false;
        if (email.IsConfigured)
        {
            var greeting = string.IsNullOrEmpty(invitation.DisplayName) ? "Hello," : $"Hello {invitation.DisplayName},";
            var body = $"""
                {greeting}

                {inviterName} invites you to MICIP Planner: {offer}.

                Open this link to accept and choose your password (or sign in, if you already have an account):
                {link}

                The link works once and expires on {TimeZones.Format(invitation.ExpiresAt, zone)}.
                If you did not expect this invitation, you can ignore this message.
                """;
            emailed = await email.SendAsync(invitation.Email, $"Invitation: {offer}", body, cancellationToken);
        }
        return new InvitationSent(invitation.DistrictId, invitation.Email, offer, link, emailed, email.IsConfigured,
            invitation.ExpiresAt, zone, backUrl);
    }

    /// <summary>"Key leader on the district CI team of Lakeshore Public Schools" and the like.</summary>
    public static async Task<string> DescribeAsync(AppDbContext db, Invitation invitation, string districtName, CancellationToken cancellationToken = default)
    {
        if (invitation.AsFacilitator) return $"facilitator of {districtName}";
        var role = invitation.Role?.DisplayName() ?? "Member";
        if (invitation.BuildingId is not { } buildingId) return $"{role} on the district CI team of {districtName}";
        var building = await db.Buildings.Where(b => b.Id == buildingId).Select(b => b.Name).SingleOrDefaultAsync(cancellationToken) ?? "a building";
        return $"{role} on the CI team of {building} ({districtName})";
    }

    private string BaseUrl(HttpRequest request)
    {
        // Behind a proxy the public address may differ from the one the request came in on.
        var configured = configuration["App:PublicUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
