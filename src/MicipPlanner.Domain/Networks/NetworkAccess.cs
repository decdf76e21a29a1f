namespace MicipPlanner.Domain.Networks;

/// <summary>What is known about one person in relation to one network.</summary>
public sealed record NetworkViewer(bool IsAdmin, bool IsCoordinator, bool FacilitatesMemberDistrict, IReadOnlyCollection<int> TeamDistrictIds);

/// <summary>
/// Who may read a network's page: administrators, its coordinator, facilitators of a member district and the district
/// teams of member districts. Everyone else gets 404 (the network does not exist for them). Building teams are not
/// included: they see only their own building's work.
/// </summary>
public static class NetworkAccess
{
    public static bool CanView(NetworkViewer viewer) =>
        viewer.IsAdmin || viewer.IsCoordinator || viewer.FacilitatesMemberDistrict || viewer.TeamDistrictIds.Count > 0;

    /// <summary>Members and districts of the network: administrators and the coordinator.</summary>
    public static bool CanManage(NetworkViewer viewer) => viewer.IsAdmin;

    /// <summary>The list of member districts by name (never shown to district teams, so no level can be tied to a name).</summary>
    public static bool CanSeeMemberNames(NetworkViewer viewer) => viewer.IsAdmin || viewer.IsCoordinator;
}
