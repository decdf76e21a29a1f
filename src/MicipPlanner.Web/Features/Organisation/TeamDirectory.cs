using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>People on a district's team, for owner and member pickers.</summary>
public static class TeamDirectory
{
    public static Task<List<MemberOption>> DistrictTeamAsync(AppDbContext db, int districtId) =>
        db.Users.Where(u => db.TeamMemberships.Any(m => m.DistrictId == districtId && m.BuildingId == null && m.UserId == u.Id))
            .OrderBy(u => u.DisplayName)
            .Select(u => new MemberOption(u.Id, u.DisplayName))
            .AsNoTracking().ToListAsync();
}
