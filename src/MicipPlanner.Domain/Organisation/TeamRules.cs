namespace MicipPlanner.Domain.Organisation;

/// <summary>Who may hold which seat on a district's or a building's CI team.</summary>
public static class TeamRules
{
    /// <summary>
    /// Why a person cannot hold <paramref name="role"/> on the team, or null when they can.
    /// Building teams take building roles, the district team takes district roles, and the district
    /// has one key leader: the person with authority to make executive decisions.
    /// </summary>
    public static string? RoleRefusal(TeamRole role, bool buildingTeam, bool districtHasOtherKeyLeader)
    {
        if (!Enum.IsDefined(role) || !TeamRoles.IsValidFor(role, buildingTeam))
            return buildingTeam
                ? "Choose a building team role: building leader, instructional staff or non-instructional staff."
                : "Choose a district team role, e.g. district leader or board member.";
        if (role == TeamRole.KeyLeader && districtHasOtherKeyLeader)
            return "The district already has a key leader. Give them another role first: the team has one key leader.";
        return null;
    }

    /// <summary>Roles offered for a team, in the order the screens list them.</summary>
    public static IReadOnlyList<TeamRole> RolesFor(bool buildingTeam) => buildingTeam ? TeamRoles.BuildingTeam : TeamRoles.DistrictTeam;
}
