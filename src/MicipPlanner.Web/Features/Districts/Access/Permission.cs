using MicipPlanner.Domain.Organisation;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// What a district page's action requires of the signed-in person in the district, named on its attribute
/// (<c>[CyclePage(Requires = Permission.BuildPlan)]</c>): each is the <see cref="DistrictPermissions"/> check of the same name.
/// Checks that depend on the record the action loads (a building's template, a note's author) stay in the action.
/// </summary>
public enum Permission
{
    None,
    ManageOrganisation,
    RateRubric,
    RecordConsensus,
    ManageRatingGroups,
    ReviewTemplates,
    EditDistrictTemplate,
    Comment,
    SeeDistrictReports,
    SeeAuditAndExport,
    SharePracticeNotes,
    ProposePracticeNotes,
    BuildPlan,
    RunWorkshop,
}

public static class PermissionChecks
{
    /// <summary>Whether <paramref name="permissions"/> grant <paramref name="permission"/> (<see cref="Permission.None"/>: always).</summary>
    public static bool Grant(this DistrictPermissions permissions, Permission permission) => permission switch
    {
        Permission.None => true,
        Permission.ManageOrganisation => permissions.CanManageOrganisation,
        Permission.RateRubric => permissions.CanRateRubric,
        Permission.RecordConsensus => permissions.CanRecordConsensus,
        Permission.ManageRatingGroups => permissions.CanManageRatingGroups,
        Permission.ReviewTemplates => permissions.CanReviewTemplates,
        Permission.EditDistrictTemplate => permissions.CanEditDistrictTemplate,
        Permission.Comment => permissions.CanComment,
        Permission.SeeDistrictReports => permissions.CanSeeDistrictReports,
        Permission.SeeAuditAndExport => permissions.CanSeeAuditAndExport,
        Permission.SharePracticeNotes => permissions.CanSharePracticeNotes,
        Permission.ProposePracticeNotes => permissions.CanProposePracticeNotes,
        Permission.BuildPlan => permissions.CanBuildPlan,
        Permission.RunWorkshop => permissions.CanRunWorkshop,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, null),
    };
}
