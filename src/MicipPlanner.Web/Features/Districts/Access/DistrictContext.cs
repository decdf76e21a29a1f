using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Districts.Access;

/// <summary>
/// What every district page knows: the district, the person's permissions and the district's data version when the
/// request began (read in the same query as the permissions; the presenter view's poll answers "unchanged" from it).
/// </summary>
public sealed record DistrictContext(int DistrictId, string DistrictName, string TimeZoneId, DistrictPermissions Permissions, long DataVersion,
    MonitoringWindows? PlanWindows = null)
{
    public TimeZoneInfo TimeZone => TimeZones.Find(TimeZoneId);

    /// <summary>The district's own windows for "approaching" and "no check-in for …" on the plan.</summary>
    public MonitoringWindows Windows => PlanWindows ?? MonitoringWindows.Default;
}

/// <summary>A district page under a cycle: the district's facts and the cycle's, read in the same query.</summary>
public sealed record CycleContext(DistrictContext District, int CycleId, int StartYear, string ToolkitKey, int ToolkitVersion,
    DateTimeOffset? RubricFinalizedAt)
{
    public int DistrictId => District.DistrictId;
    public DistrictPermissions Permissions => District.Permissions;
    public string SchoolYear => SchoolYears.Format(StartYear);
    public bool IsRubricFinalized => RubricFinalizedAt is not null;
}
