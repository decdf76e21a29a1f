namespace MicipPlanner.Domain.Organisation;

/// <summary>What is known about one person in relation to one district.</summary>
public sealed record DistrictActor(
    bool IsAdmin,
    bool IsAssignedFacilitator,
    TeamRole? DistrictTeamRole,
    IReadOnlyCollection<int> BuildingIds)
{
    public bool IsKeyLeader => DistrictTeamRole == TeamRole.KeyLeader;
    public bool IsDistrictTeamMember => DistrictTeamRole is not null;
    public bool IsBuildingMember => BuildingIds.Count > 0;

    /// <summary>Anyone who may know the district exists; everyone else gets 404.</summary>
    public bool HasAccess => IsAdmin || IsAssignedFacilitator || IsDistrictTeamMember || IsBuildingMember;
}

/// <summary>
/// The roles-and-permissions table of the design as one rule set. Checked on the server for every
/// request; screens use it only to decide which buttons to show.
/// </summary>
public sealed class DistrictPermissions(DistrictActor actor)
{
    public DistrictActor Actor { get; } = actor;

    private bool Leads => Actor.IsAssignedFacilitator || Actor.IsKeyLeader;
    private bool DistrictTeamOrFacilitator => Actor.IsAssignedFacilitator || Actor.IsDistrictTeamMember;

    public bool CanView => Actor.HasAccess;

    /// <summary>Dashboard, rubric results and roll-up; building members read only.</summary>
    public bool CanViewDistrictWork => Actor.HasAccess;

    public bool CanManageOrganisation => Actor.IsAdmin || Leads;
    public bool CanRateRubric => DistrictTeamOrFacilitator;
    public bool CanRecordConsensus => Leads;
    public bool CanManageRatingGroups => Leads;
    public bool CanReviewTemplates => DistrictTeamOrFacilitator;
    public bool CanEditDistrictTemplate => DistrictTeamOrFacilitator;
    public bool CanSeeAuditAndExport => Actor.IsAdmin || Leads;

    /// <summary>Filled handouts and reports of the whole district (building members: only their building's).</summary>
    public bool CanSeeDistrictReports => Actor.IsAdmin || DistrictTeamOrFacilitator;

    public bool CanEditBuildingTemplate(int buildingId) => Actor.BuildingIds.Contains(buildingId);

    /// <summary>A building's template is visible to the district side and to that building's own team.</summary>
    public bool CanViewBuildingTemplate(int buildingId) =>
        CanSeeDistrictReports || Actor.BuildingIds.Contains(buildingId);

    public bool CanComment => DistrictTeamOrFacilitator;

    /// <summary>Only the key leader may agree to share the district's results with its networks (or take it back).</summary>
    public bool CanChangeNetworkSharing => Actor.IsKeyLeader;

    /// <summary>Sharing, editing and withdrawing practice notes speaks for the district: the key leader.</summary>
    public bool CanSharePracticeNotes => Actor.IsKeyLeader;

    /// <summary>
    /// A district team member proposes a note (and may edit or withdraw their own proposal); it reaches the network
    /// only when the key leader publishes it.
    /// </summary>
    public bool CanProposePracticeNotes => Actor.IsDistrictTeamMember;

    /// <summary>Who may edit or withdraw a note: the key leader any note, a team member their own unpublished proposal.</summary>
    public bool CanChangePracticeNote(bool isProposal, bool isOwn) => CanSharePracticeNotes || (CanProposePracticeNotes && isProposal && isOwn);

    /// <summary>The review queue of the desk: the district side that may return or accept templates.</summary>
    public bool CanSeeDeskQueue => Actor.IsAdmin || Actor.IsAssignedFacilitator || Actor.IsKeyLeader;
    /// <summary>The cycle's plan (goals, strategies, activities, check-ins): everyone who sees the dashboard reads it.</summary>
    public bool CanViewPlan => CanViewDistrictWork;

    /// <summary>
    /// Build the plan and record check-ins: the facilitator, the key leader and the district team. Building teams read it;
    /// an administrator runs the installation, not the district's plan.
    /// </summary>
    public bool CanBuildPlan => DistrictTeamOrFacilitator;

    /// <summary>Start, project and end a live workshop of the district (admin, facilitator, key leader).</summary>
    public bool CanRunWorkshop => Actor.IsAdmin || Leads;
}
