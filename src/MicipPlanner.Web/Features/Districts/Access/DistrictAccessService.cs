using System.Security.Claims;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// Works out what the signed-in person may do in a district (resource-based authorization).
/// Results are kept for the request only, so several checks cost one query; every request asks the database again.
/// </summary>
public sealed class DistrictAccessService(IServiceProvider services, IHttpContextAccessor http)
{
    private readonly Dictionary<int, DistrictContext?> _cache = [];
    private (int DistrictId, int CycleId, CycleContext? Cycle)? _cycleLoad;
    private AppDbContext? _db;

    // Resolved when first needed: a request that never checks a district never rents a context.
    private AppDbContext Db => _db ??= services.GetRequiredService<AppDbContext>();

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();
    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);
    public bool IsAdmin => User.IsInRole(AppRoles.Admin);

    /// <summary>The person's permissions in the district, or null when the district does not exist for them.</summary>
    public async Task<DistrictPermissions?> ForDistrictAsync(int districtId, CancellationToken cancellationToken = default) =>
        (await LoadAsync(districtId, cancellationToken))?.Permissions;

    /// <summary>
    /// What a district page needs before anything else, in one query: the person's permissions and the district's name,
    /// time zone and data version. Null when the district does not exist for them. Asked twice in a request, it answers
    /// from the first time.
    /// </summary>
    public async Task<DistrictContext?> LoadAsync(int districtId, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(districtId, out var cached)) return cached;
        return (await QueryOnceAsync(districtId, null, cancellationToken)).District;
    }

    /// <summary>As <see cref="LoadAsync(int, CancellationToken)"/> with the cycle, in the same query; null when the
    /// district does not exist for them or the cycle is not the district's.</summary>
    public async Task<CycleContext?> LoadCycleAsync(int districtId, int cycleId, CancellationToken cancellationToken = default)
    {
        if (_cycleLoad is { } last && last.DistrictId == districtId && last.CycleId == cycleId) return last.Cycle;
        return (await QueryOnceAsync(districtId, cycleId, cancellationToken)).Cycle;
    }

    private async Task<(DistrictContext? District, CycleContext? Cycle)> QueryOnceAsync(int districtId, int? cycleId,
        CancellationToken cancellationToken)
    {
        var userId = UserId;
        (DistrictContext? District, CycleContext? Cycle) result = (null, null);
        if (userId is not null)
        {
            // One connection for the whole request: otherwise every query takes a connection from the pool and
            // sets it up again (on SQLite that registers the provider's functions on each open).
            await Db.Database.OpenConnectionAsync(cancellationToken);
            result = await QueryAsync(districtId, userId, cycleId, cancellationToken);
        }
        _cache[districtId] = result.District;
        if (cycleId is { } loaded) _cycleLoad = (districtId, loaded, result.Cycle);
        return result;
    }

    private async Task<(DistrictContext? District, CycleContext? Cycle)> QueryAsync(int districtId, string userId, int? cycleId,
        CancellationToken cancellationToken)
    {
        var rows = await AccessQuery(Db, districtId, userId, cycleId ?? 0).ToListAsync(cancellationToken);
        if (rows.Count == 0) return (null, null);
        var first = rows[0];
        var districtRole = rows.Where(m => m.Role is not null && m.BuildingId == null)
            .Select(m => m.Role).OrderBy(r => r).FirstOrDefault();
        var buildings = rows.Where(m => m.Role is not null && m.BuildingId != null).Select(m => m.BuildingId!.Value).ToHashSet();
        var actor = new DistrictActor(IsAdmin, first.Facilitator, districtRole, buildings);
        if (!actor.HasAccess) return (null, null);
        var district = new DistrictContext(districtId, first.Name, first.TimeZoneId, new DistrictPermissions(actor), first.DataVersion,
            new MonitoringWindows(first.ApproachingDays, first.StaleAfterDays));
        var cycle = cycleId is { } id && first.CycleStartYear is { } year
            ? new CycleContext(district, id, year, first.CycleToolkitKey ?? "", first.CycleToolkitVersion ?? 0, first.CycleFinalizedAt)
            : null;
        return (district, cycle);
    }

    /// <summary>
    /// One row per membership of the person in the district (or one row without a role), each carrying the district,
    /// whether the person facilitates it and the asked-for cycle. Compiled once: this query starts every district page.
    /// </summary>
    private static readonly Func<AppDbContext, int, string, int, IAsyncEnumerable<AccessRow>> AccessQuery = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId, string userId, int cycleId) =>
            from d in db.Districts
            where d.Id == districtId
            from c in db.Cycles.Where(c => c.Id == cycleId && c.DistrictId == d.Id).DefaultIfEmpty()
            from m in db.TeamMemberships.Where(m => m.DistrictId == d.Id && m.UserId == userId).DefaultIfEmpty()
            select new AccessRow(d.Name, d.TimeZoneId, EF.Property<long>(d, AppDbContext.DataVersion), d.PlanApproachingDays, d.PlanStaleAfterDays,
                db.FacilitatorAssignments.Any(f => f.DistrictId == d.Id && f.UserId == userId),
                (int?)c.StartYear, c.ToolkitKey, (int?)c.ToolkitVersion, c.RubricFinalizedAt,
                m.BuildingId, (TeamRole?)m.Role));

    private sealed record AccessRow(string Name, string TimeZoneId, long DataVersion, int ApproachingDays, int StaleAfterDays, bool Facilitator, int? CycleStartYear, string? CycleToolkitKey,
        int? CycleToolkitVersion, DateTimeOffset? CycleFinalizedAt, int? BuildingId, TeamRole? Role);

    /// <summary>Ids of the districts the person may see (all, for an administrator).</summary>
    public IQueryable<int> VisibleDistrictIds()
    {
        var userId = UserId ?? "";
        if (IsAdmin) return Db.Districts.Select(d => d.Id);
        var facilitated = Db.FacilitatorAssignments.Where(f => f.UserId == userId).Select(f => f.DistrictId);
        var member = Db.TeamMemberships.Where(m => m.UserId == userId).Select(m => m.DistrictId);
        return facilitated.Union(member);
    }
}
