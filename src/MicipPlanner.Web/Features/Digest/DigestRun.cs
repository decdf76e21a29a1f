using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Email;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Digest;

/// <summary>What one run did: digests e-mailed, given as in-app notices only, failed, and found claimed by another run.</summary>
public sealed record DigestRunResult(int Sent, int NoticeOnly, int Failed, int ClaimedElsewhere);

/// <summary>
/// One pass over every district: for each district whose day has reached the send hour, each person with reminders there
/// gets that district's digest for the day (an in-app notice and an e-mail), unless they turned it off or another
/// instance's run claimed it first. Safe to run as often as wanted, from as many instances as wanted (ADR 022).
/// </summary>
public sealed class DigestRun(AppDbContext db, IEnumerable<IDigestItemSource> sources, IEmailSender email, IOptions<DigestOptions> options,
    IConfiguration configuration, IServer server, ILogger<DigestRun> logger)
{
    private sealed record Person(string Id, string? Email);

    public async Task<DigestRunResult> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        int sent = 0, noticeOnly = 0, failed = 0, elsewhere = 0;
        // Each district's latest cycle is read here once, for every item source.
        var districts = await db.Districts.OrderBy(d => d.Id).Select(d => new
        {
            d.Id, d.Name, d.TimeZoneId, d.PlanStaleAfterDays,
            LatestCycleId = db.Cycles.Where(c => c.DistrictId == d.Id).OrderByDescending(c => c.StartYear).ThenByDescending(c => c.Id)
                    .Select(c => (int?)c.Id).FirstOrDefault(),
        })
            .AsNoTracking().ToListAsync(cancellationToken);
        var baseUrl = BaseUrl();
        foreach (var d in districts)
        {
            if (DigestRules.DueDate(now, DistrictCalendar.Zone(d.TimeZoneId), options.Value.Hour) is not { } today) continue;
            var district = new DigestDistrict(d.Id, d.Name, today, d.PlanStaleAfterDays, d.LatestCycleId);
            var items = new List<DigestItem>();
            foreach (var source in sources) items.AddRange(await source.ItemsAsync(db, district, cancellationToken));
            if (items.Count == 0) continue;

            foreach (var person in await RecipientsAsync(district.Id, items.Select(i => i.UserId).Distinct().ToList(), cancellationToken))
            {
                var message = DigestMessage.Compose(district, items.Where(i => i.UserId == person.Id).ToList(), baseUrl);
                var claim = await ClaimAsync(district, person.Id, message, now, cancellationToken);
                if (claim is null) { elsewhere++; continue; }
                switch (await DeliverAsync(claim, person, message, now, cancellationToken))
                {
                    case DigestClaimState.Sent: sent++; break;
                    case DigestClaimState.NoticeOnly: noticeOnly++; break;
                    default: failed++; break;
                }
            }
        }
        if (sent + noticeOnly + failed > 0)
            logger.LogInformation("Daily digests: {Sent} e-mailed, {NoticeOnly} as notices only, {Failed} failed (retried later today)", sent, noticeOnly, failed);
        return new DigestRunResult(sent, noticeOnly, failed, elsewhere);
    }

    /// <summary>
    /// The people named by the items who are on the district now (a team or its facilitators) and have the digest on,
    /// less those whose digest for the day is already settled. Someone who left the district gets nothing of it.
    /// </summary>
    private async Task<List<Person>> RecipientsAsync(int districtId, List<string> userIds, CancellationToken cancellationToken)
    {
        var people = await db.Users
            .Where(u => userIds.Contains(u.Id) && !u.DailyDigestOff
                && (db.TeamMemberships.Any(m => m.UserId == u.Id && m.DistrictId == districtId)
                    || db.FacilitatorAssignments.Any(f => f.UserId == u.Id && f.DistrictId == districtId)))
            .OrderBy(u => u.Id).Select(u => new Person(u.Id, u.Email)).AsNoTracking().ToListAsync(cancellationToken);
        return people;
    }

    /// <summary>
    /// Takes the person's digest for the day, or returns null when it is not this run's to send. A first claim is an
    /// insert that the unique key lets only one instance make, saved together with the in-app notice so that the notice
    /// too exists once; a retry after a failed send takes the claim over under its concurrency version.
    /// </summary>
    private async Task<DigestClaim?> ClaimAsync(DigestDistrict district, string userId, DigestMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await db.DigestClaims.SingleOrDefaultAsync(c => c.DistrictId == district.Id && c.UserId == userId && c.Date == district.Today, cancellationToken);
        switch (DigestRules.Decide(existing?.State, existing?.Attempts ?? 0))
        {
            case DigestClaimDecision.Skip:
                db.ChangeTracker.Clear();
                return null;
            case DigestClaimDecision.Retry:
                existing!.State = DigestClaimState.Sending;
                existing.Attempts++;
                existing.ClaimedAt = now;
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return existing;
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Another instance retried it first.
                    db.ChangeTracker.Clear();
                    return null;
                }
        }

        var claim = new DigestClaim { DistrictId = district.Id, UserId = userId, Date = district.Today, ClaimedAt = now };
        db.DigestClaims.Add(claim);
        db.Notifications.Add(new Notification { DistrictId = district.Id, UserId = userId, CreatedAt = now, Text = message.NoticeText, Link = message.NoticeLink });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return claim;
        }
        catch (DbUpdateException)
        {
            // The unique key refused the insert: another instance claimed this digest between our look and our insert.
            // Anything else (the database unreachable) is not a claim lost, and goes up to be logged and tried again.
            db.ChangeTracker.Clear();
            if (await db.DigestClaims.AnyAsync(c => c.DistrictId == district.Id && c.UserId == userId && c.Date == district.Today, cancellationToken))
                return null;
            throw;
        }
    }

    /// <summary>
    /// Sends the claimed digest and records how it went. A failed send leaves the claim "failed" for a later run the same
    /// day to take over; without a mail server the notice already saved is the digest.
    /// </summary>
    private async Task<DigestClaimState> DeliverAsync(DigestClaim claim, Person person, DigestMessage message, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!email.IsConfigured || string.IsNullOrEmpty(person.Email))
        {
            claim.State = DigestClaimState.NoticeOnly;
        }
        else if (await email.SendAsync(person.Email, message.Subject, message.Body, cancellationToken))
        {
            claim.State = DigestClaimState.Sent;
            claim.SentAt = now;
        }
        else
        {
            claim.State = DigestClaimState.Failed;
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return claim.State;
    }

    /// <summary>The address links in the e-mail start with: the configured public one, else the one this server listens on.</summary>
    private string BaseUrl()
    {
        var configured = configuration["App:PublicUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return string.IsNullOrEmpty(listening) ? "http://localhost" : listening.TrimEnd('/');
    }
}
