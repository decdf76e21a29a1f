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
    private readonly Dictionary<int, DistrictPermissions?> _cache = [];

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();
    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);
    public bool IsAdmin => User.IsInRole(AppRoles.Admin);

    /// <summary>The person's permissions in the district, or null when the district does not exist for them.</summary>
    public async Task<DistrictPermissions?> ForDistrictAsync(int districtId, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(districtId, out var cached)) return cached;
        var userId = UserId;
        DistrictPermissions? result = null;
        if (userId is not null)
        {
            var facts = await db.Districts
                .Where(d => d.Id == districtId)
                .Select(d => new
                {
                    Facilitator = db.FacilitatorAssignments.Any(f => f.DistrictId == d.Id && f.UserId == userId),
                    Memberships = db.TeamMemberships
                        .Where(m => m.DistrictId == d.Id && m.UserId == userId)
                        .Select(m => new { m.BuildingId, m.Role })
                        .ToList(),
                })
                .AsNoTracking()
                .SingleOrDefaultAsync(cancellationToken);
            if (facts is not null)
            {
                var districtRole = facts.Memberships.Where(m => m.BuildingId == null)
                    .Select(m => (TeamRole?)m.Role).OrderBy(r => r).FirstOrDefault();
                var buildings = facts.Memberships.Where(m => m.BuildingId != null).Select(m => m.BuildingId!.Value).ToHashSet();
                var actor = new DistrictActor(IsAdmin, facts.Facilitator, districtRole, buildings);
                if (actor.HasAccess) result = new DistrictPermissions(actor);
            }
        }
        _cache[districtId] = result;
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
