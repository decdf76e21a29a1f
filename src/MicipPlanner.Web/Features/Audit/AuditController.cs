using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Audit;

public sealed record AuditFilter(string? Person, DateOnly? From, DateOnly? To, string? Entity, int Page);
public sealed record AuditRow(DateTimeOffset At, string Who, string EntityType, string EntityId, AuditAction Action, string Field, string? OldValue, string? NewValue);
public sealed record AuditOption(string Value, string Label);
public sealed record AuditCycle(int Id, string SchoolYear);
public sealed record AuditPageModel(DistrictContext District, AuditFilter Filter, IReadOnlyList<AuditRow> Rows, int Total, int PageSize,
    IReadOnlyList<AuditOption> People, IReadOnlyList<string> EntityTypes, IReadOnlyList<AuditCycle> Cycles)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A district's audit trail: who changed which field of which record, when, from what to what.</summary>
[Route("districts/{districtId:int}/audit")]
public sealed class AuditController(DistrictPageServices services) : DistrictControllerBase(services)
{
    public const int PageSize = 50;

    [HttpGet("")]
    [DistrictPage(Section = "audit", Requires = Permission.SeeAuditAndExport)]
    public async Task<IActionResult> Index(int districtId, string? person, DateOnly? from, DateOnly? to, string? entity, int page = 1)
    {
        var district = CurrentDistrict;
        page = Math.Clamp(page, 1, 100_000);

        var all = Db.AuditEntries.Where(a => a.DistrictId == districtId);
        var query = all;
        if (!string.IsNullOrEmpty(person)) query = query.Where(a => a.UserId == person);
        if (!string.IsNullOrEmpty(entity)) query = query.Where(a => a.EntityType == entity);
        // Dates are the district's calendar days.
        var zone = district.TimeZone;
        if (from is { } f) { var start = StartOfDay(f, zone); query = query.Where(a => a.At >= start); }
        if (to is { } t) { var end = StartOfDay(t.AddDays(1), zone); query = query.Where(a => a.At < end); }

        var total = await query.CountAsync();
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(a => new AuditRow(a.At,
                a.UserId == null ? "(system)"
                    // A workshop participant is named by the workshop they wrote through, not by their seat's address.
                    : a.Via != null ? "via " + a.Via + ": " + Db.Users.NameOf(a.UserId)
                    : Db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName + " (" + u.Email + ")").FirstOrDefault() ?? "(removed account)",
                a.EntityType, a.EntityId, a.Action, a.Field, a.OldValue, a.NewValue))
            .AsNoTracking().ToListAsync();
        var peopleIds = await all.Where(a => a.UserId != null).Select(a => a.UserId!).Distinct().ToListAsync();
        var people = await Db.Users.Where(u => peopleIds.Contains(u.Id)).OrderBy(u => u.DisplayName)
            .Select(u => new AuditOption(u.Id, u.DisplayName + " (" + u.Email + ")")).AsNoTracking().ToListAsync();
        var types = await all.Select(a => a.EntityType).Distinct().OrderBy(x => x).ToListAsync();

        var cycles = (await Db.Cycles.Where(c => c.DistrictId == districtId).OrderByDescending(c => c.StartYear)
            .Select(c => new { c.Id, c.StartYear }).AsNoTracking().ToListAsync())
            .Select(c => new AuditCycle(c.Id, Domain.Organisation.SchoolYears.Format(c.StartYear))).ToList();

        return View("Index", new AuditPageModel(district, new AuditFilter(person, from, to, entity, page), rows, total, PageSize, people, types, cycles));
    }

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
