using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Districts.Access;

namespace MicipPlanner.Web.Features.Districts;

public sealed record GroupProgress(string Name, int RowsRated);
/// <param name="ReportsWaiting">The building's monitoring reports submitted and waiting for the district team.</param>
public sealed record BuildingTemplateState(int BuildingId, string BuildingName, string State, DateTimeOffset? Since, int ReportsWaiting = 0);
public sealed record OpenAction(int Id, string Title, string? Owner, DateOnly? DueDate, string Status, bool IsOverdue);
public sealed record CycleLink(int Id, int StartYear)
{
    public string SchoolYear => SchoolYears.Format(StartYear);
}

public sealed record DashboardViewModel(
    CycleContext Cycle,
    int RubricRows,
    IReadOnlyList<GroupProgress> Groups,
    int ConsensusRows,
    IReadOnlyList<BuildingTemplateState> Buildings,
    IReadOnlyList<OpenAction> OpenActions,
    IReadOnlyList<CycleLink> Cycles,
    PlanGlance Plan)
{
    public int OverdueCount => OpenActions.Count(a => a.IsOverdue);

    /// <summary>Building monitoring reports submitted and waiting for the district team's review.</summary>
    public int ReportsWaiting => Buildings.Sum(b => b.ReportsWaiting);
}
