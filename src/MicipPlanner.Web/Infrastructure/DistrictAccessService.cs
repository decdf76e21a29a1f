using System.Security.Claims;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Infrastructure;

/// <summary>
/// Works out what the signed-in person may do in a district (resource-based authorization).
/// Results are cached for the request, so several checks cost one query.
/// </summary>
public sealed class DistrictAccessService(AppDbContext db, IHttpContextAccessor http)
{
    private readonly Dictionary<int, DistrictFacts?> _cache = [];

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();
    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);
    public bool IsAdmin => User.IsInRole(AppRoles.Admin);

    /// <summary>The person's permissions in the district, or null when the district does not exist for them.</summary>
    public async Task<DistrictPermissions?> ForDistrictAsync(int districtId, CancellationToken cancellationToken = default) =>
        (await LoadAsync(districtId, null, cancellationToken))?.Permissions;

    /// <summary>
    /// What a district page needs before anything else, in one query: the person's permissions, the district's name
    /// and time zone, and (when asked) the cycle if it is the district's. Null when the district does not exist for them.
    /// </summary>
    public async Task<DistrictFacts?> LoadAsync(int districtId, int? cycleId, CancellationToken cancellationToken = default)
    {
        if (cycleId is null && _cache.TryGetValue(districtId, out var cached)) return cached;
        var userId = UserId;
        DistrictFacts? result = null;
        if (userId is not null)
        {
            var wantedCycle = cycleId ?? 0;
            var facts = await db.Districts
                .Where(d => d.Id == districtId)
                .Select(d => new
                {
                    d.Name,
                    d.TimeZoneId,
                    Facilitator = db.FacilitatorAssignments.Any(f => f.DistrictId == d.Id && f.UserId == userId),
                    Memberships = db.TeamMemberships
                        .Where(m => m.DistrictId == d.Id && m.UserId == userId)
                        .Select(m => new { m.BuildingId, m.Role })
                        .ToList(),
                    CycleStartYear = db.Cycles.Where(c => c.Id == wantedCycle && c.DistrictId == d.Id).Select(c => (int?)c.StartYear).FirstOrDefault(),
                    CycleToolkitKey = db.Cycles.Where(c => c.Id == wantedCycle && c.DistrictId == d.Id).Select(c => c.ToolkitKey).FirstOrDefault(),
                    CycleToolkitVersion = db.Cycles.Where(c => c.Id == wantedCycle && c.DistrictId == d.Id).Select(c => c.ToolkitVersion).FirstOrDefault(),
                    CycleFinalizedAt = db.Cycles.Where(c => c.Id == wantedCycle && c.DistrictId == d.Id).Select(c => c.RubricFinalizedAt).FirstOrDefault(),
                })
                .AsNoTracking()
                .SingleOrDefaultAsync(cancellationToken);
            if (facts is not null)
            {
                var districtRole = facts.Memberships.Where(m => m.BuildingId == null)
                    .Select(m => (TeamRole?)m.Role).OrderBy(r => r).FirstOrDefault();
                var buildings = facts.Memberships.Where(m => m.BuildingId != null).Select(m => m.BuildingId!.Value).ToHashSet();
                var actor = new DistrictActor(IsAdmin, facts.Facilitator, districtRole, buildings);
                if (actor.HasAccess)
                {
                    var cycle = cycleId is { } id && facts.CycleStartYear is { } year
                        ? new CycleFacts(id, year, facts.CycleToolkitKey ?? "", facts.CycleToolkitVersion, facts.CycleFinalizedAt)
                        : null;
                    result = new DistrictFacts(new DistrictPermissions(actor), facts.Name, facts.TimeZoneId, cycle);
                }
            }
        }
        _cache[districtId] = result is null ? null : result with { Cycle = null };
        return result;
    }

    /// <summary>Ids of the districts the person may see (all, for an administrator).</summary>
    public IQueryable<int> VisibleDistrictIds()
    {
        var userId = UserId ?? "";
        if (IsAdmin) return db.Districts.Select(d => d.Id);
        var facilitated = db.FacilitatorAssignments.Where(f => f.UserId == userId).Select(f => f.DistrictId);
        var member = db.TeamMemberships.Where(m => m.UserId == userId).Select(m => m.DistrictId);
        return facilitated.Union(member);
    }
}

/// <summary>The person's permissions in a district with the district's name and time zone, and the cycle when asked for.</summary>
public sealed record DistrictFacts(DistrictPermissions Permissions, string Name, string TimeZoneId, CycleFacts? Cycle);

public sealed record CycleFacts(int Id, int StartYear, string ToolkitKey, int ToolkitVersion, DateTimeOffset? RubricFinalizedAt);
