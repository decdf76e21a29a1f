using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Digest;

/// <summary>The district a digest run is composing for, with its date, its "no check-in" window and its latest cycle
/// (the one whose plan the digest reminds of; none before the district's first cycle).</summary>
public sealed record DigestDistrict(int Id, string Name, DateOnly Today, int StaleAfterDays, int? LatestCycleId);

/// <summary>One line of a person's digest: what, why, when, and the app path that opens it.</summary>
public sealed record DigestItem(string UserId, DigestItemKind Kind, string Title, DateOnly? Date, string Path);

/// <summary>
/// A kind of record that reminds people of something in the daily digest. The digest asks every registered source for
/// the district's items and sends each person theirs; a new kind of reminder (building monitoring reports due) is one
/// more source registered beside the others. A source returns items of that district only.
/// </summary>
public interface IDigestItemSource
{
    Task<IReadOnlyList<DigestItem>> ItemsAsync(AppDbContext db, DigestDistrict district, CancellationToken cancellationToken);
}

/// <summary>The activities of the district's latest cycle that are overdue, due soon or without a check-in, for their owners.</summary>
public sealed class ActivityDigestSource : IDigestItemSource
{
    public async Task<IReadOnlyList<DigestItem>> ItemsAsync(AppDbContext db, DigestDistrict district, CancellationToken cancellationToken)
    {
        if (district.LatestCycleId is not { } cycleId) return [];
        var activities = await db.PlanActivities
            .Where(a => a.DistrictId == district.Id && a.CycleId == cycleId && a.OwnerUserId != null && a.DoneDate == null)
            .Select(a => new
            {
                a.Id, a.Title, a.OwnerUserId, a.StartDate, a.DueDate,
                LastCheckIn = db.PlanCheckIns.Where(c => c.ActivityId == a.Id).Max(c => (DateOnly?)c.Date),
            })
            .AsNoTracking().ToListAsync(cancellationToken);
        var items = new List<DigestItem>();
        foreach (var a in activities)
        {
            var kind = DigestRules.KindOf(new ActivityDates(a.StartDate, a.DueDate, null), a.LastCheckIn, district.Today, district.StaleAfterDays);
            if (kind is null) continue;
            var date = kind == DigestItemKind.NoCheckIn ? a.LastCheckIn ?? a.StartDate : a.DueDate;
            items.Add(new DigestItem(a.OwnerUserId!, kind.Value, a.Title, date,
                $"/districts/{district.Id}/cycles/{cycleId}/plan#activity-{a.Id}"));
        }
        return items;
    }
}

/// <summary>
/// The monitoring reports of the district's latest cycle that a building team has not yet submitted and that are due
/// within the week or overdue, for every member of that building's team.
/// </summary>
public sealed class BuildingReportDigestSource : IDigestItemSource
{
    public async Task<IReadOnlyList<DigestItem>> ItemsAsync(AppDbContext db, DigestDistrict district, CancellationToken cancellationToken)
    {
        if (district.LatestCycleId is not { } cycleId) return [];
        var horizon = district.Today.AddDays(DigestRules.DueSoonDays);
        var owed = await (
            from m in db.TeamMemberships
            where m.DistrictId == district.Id && m.BuildingId != null
            join b in db.Buildings on m.BuildingId equals b.Id
            from p in db.MonitoringPeriods
            where p.DistrictId == district.Id && p.CycleId == cycleId && p.DueDate <= horizon
            select new
            {
                m.UserId, PeriodId = p.Id, p.Name, p.DueDate, BuildingId = b.Id, BuildingName = b.Name,
                Submitted = db.BuildingReports.Any(r => r.PeriodId == p.Id && r.BuildingId == b.Id
                    && (r.State == Domain.Balance.TemplateState.Submitted || r.State == Domain.Balance.TemplateState.Accepted)),
            })
            .AsNoTracking().ToListAsync(cancellationToken);
        return owed.Where(o => DigestRules.ReportIsDue(o.DueDate, o.Submitted, district.Today)).DistinctBy(o => (o.UserId, o.PeriodId, o.BuildingId))
            .Select(o => new DigestItem(o.UserId, DigestItemKind.BuildingReportDue, $"{o.Name} monitoring report of {o.BuildingName}", o.DueDate,
                $"/districts/{district.Id}/cycles/{cycleId}/reports/periods/{o.PeriodId}/buildings/{o.BuildingId}"))
            .ToList();
    }
}
