using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

/// <summary>
/// A person's seat on the district CI team (BuildingId null) or on one building's CI team.
/// </summary>
public class TeamMembership : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int? BuildingId { get; set; }
    public Building? Building { get; set; }
    public string UserId { get; set; } = "";
    public TeamRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }

    public bool IsDistrictTeam => BuildingId is null;
}

public enum TeamRole
{
    KeyLeader = 1,
    DistrictLeader = 2,
    SystemsRepresentative = 3,
    BoardMember = 4,
    CommunityRepresentative = 5,
    SchoolRepresentative = 6,
    BuildingLeader = 10,
    InstructionalStaff = 11,
    NonInstructionalStaff = 12,
}

public static class TeamRoles
{
    public static readonly TeamRole[] DistrictTeam =
    [
        TeamRole.KeyLeader, TeamRole.DistrictLeader, TeamRole.SystemsRepresentative,
        TeamRole.BoardMember, TeamRole.CommunityRepresentative, TeamRole.SchoolRepresentative,
    ];

    public static readonly TeamRole[] BuildingTeam =
        [TeamRole.BuildingLeader, TeamRole.InstructionalStaff, TeamRole.NonInstructionalStaff];

    public static bool IsValidFor(TeamRole role, bool buildingTeam) =>
        buildingTeam ? BuildingTeam.Contains(role) : DistrictTeam.Contains(role);

    public static string DisplayName(this TeamRole role) => role switch
    {
        TeamRole.KeyLeader => "Key leader",
        TeamRole.DistrictLeader => "District leader",
        TeamRole.SystemsRepresentative => "District systems representative",
        TeamRole.BoardMember => "Board member",
        TeamRole.CommunityRepresentative => "Community representative",
        TeamRole.SchoolRepresentative => "School representative",
        TeamRole.BuildingLeader => "Building leader",
        TeamRole.InstructionalStaff => "Instructional staff",
        TeamRole.NonInstructionalStaff => "Non-instructional staff",
        _ => role.ToString(),
    };
}
