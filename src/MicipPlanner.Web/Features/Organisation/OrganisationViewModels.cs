using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

public sealed record BuildingRow(int Id, string Name, string Code, string Grades);

public sealed record MemberRow(int MembershipId, string Name, string Email, TeamRole Role);

/// <summary>The district CI team (BuildingId null) or one building's CI team.</summary>
public sealed record TeamSection(int? BuildingId, string Name, IReadOnlyList<MemberRow> Members);

public sealed record InvitationRow(int Id, string Email, string DisplayName, string Team, string Role, DateTimeOffset ExpiresAt, bool IsExpired);

public sealed record CycleRow(int Id, int StartYear, DateTimeOffset CreatedAt, bool RubricFinalized)
{
    public string SchoolYear => SchoolYears.Format(StartYear);
}

public sealed record FacilitatorRow(string Name, string Email);

public sealed record OrganisationViewModel(
    DistrictContext District,
    IReadOnlyList<BuildingRow> Buildings,
    IReadOnlyList<TeamSection> Teams,
    IReadOnlyList<InvitationRow> Invitations,
    IReadOnlyList<CycleRow> Cycles,
    IReadOnlyList<FacilitatorRow> Facilitators,
    string SuggestedSchoolYear);

public static class OrganisationQuery
{
    public static async Task<OrganisationViewModel> LoadAsync(AppDbContext db, DistrictContext context, DateTimeOffset now)
    {
        var districtId = context.DistrictId;
        var buildings = await db.Buildings.Where(b => b.DistrictId == districtId).OrderBy(b => b.Name)
            .Select(b => new BuildingRow(b.Id, b.Name, b.Code, b.Grades)).AsNoTracking().ToListAsync();

        var members = await (from m in db.TeamMemberships
                             join u in db.Users on m.UserId equals u.Id
                             where m.DistrictId == districtId
                             select new { m.Id, m.BuildingId, u.DisplayName, u.Email, m.Role })
            .AsNoTracking().ToListAsync();
        MemberRow[] RowsOf(int? buildingId) => members.Where(m => m.BuildingId == buildingId)
            .OrderBy(m => m.Role).ThenBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(m => new MemberRow(m.Id, m.DisplayName, m.Email ?? "", m.Role)).ToArray();
        var teams = new List<TeamSection> { new(null, "District CI team", RowsOf(null)) };
        teams.AddRange(buildings.Select(b => new TeamSection(b.Id, b.Name, RowsOf(b.Id))));

        var invitations = await db.Invitations.Where(i => i.DistrictId == districtId && i.AcceptedAt == null && !i.AsFacilitator)
            .Select(i => new { i.Id, i.Email, i.DisplayName, i.BuildingId, i.Role, i.ExpiresAt })
            .AsNoTracking().ToListAsync();
        var buildingNames = buildings.ToDictionary(b => b.Id, b => b.Name);
        var invitationRows = invitations.OrderBy(i => i.ExpiresAt.UtcDateTime)
            .Select(i => new InvitationRow(i.Id, i.Email, i.DisplayName,
                i.BuildingId is { } b ? buildingNames.GetValueOrDefault(b, "Building team") : "District CI team",
                i.Role?.DisplayName() ?? "", i.ExpiresAt, i.ExpiresAt <= now))
            .ToList();

        var cycles = await db.Cycles.Where(c => c.DistrictId == districtId).OrderByDescending(c => c.StartYear)
            .Select(c => new CycleRow(c.Id, c.StartYear, c.CreatedAt, c.RubricFinalizedAt != null)).AsNoTracking().ToListAsync();
        var today = TimeZones.DateIn(now, context.TimeZone);
        var suggested = cycles.Count == 0 ? SchoolYears.Current(today) : Math.Max(cycles[0].StartYear + 1, SchoolYears.Current(today));

        var facilitators = await db.Users
            .Where(u => db.FacilitatorAssignments.Any(f => f.DistrictId == districtId && f.UserId == u.Id))
            .OrderBy(u => u.DisplayName).Select(u => new FacilitatorRow(u.DisplayName, u.Email ?? ""))
            .AsNoTracking().ToListAsync();

        return new OrganisationViewModel(context, buildings, teams, invitationRows, cycles, facilitators, SchoolYears.Format(suggested));
    }
}
