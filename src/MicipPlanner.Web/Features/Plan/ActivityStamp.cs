using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// What an activity's state is derived from, as the summaries read it (the dashboard's glance, the facilitator's desk):
/// its dates and the team's last check-in. Only activities of goals not archived are read: archived work is put away.
/// </summary>
public sealed record ActivityStamp(int CycleId, DateOnly? StartDate, DateOnly? DueDate, DateOnly? DoneDate, DateOnly? LastCheckInDate,
    TeamJudgment? LastJudgment)
{
    public ActivityStatus StatusOn(DateOnly today, MonitoringWindows? windows = null) =>
        ActivityStatusRules.Evaluate(new ActivityDates(StartDate, DueDate, DoneDate),
            LastCheckInDate is { } checkedOn ? new LastCheckIn(checkedOn, LastJudgment) : null, today, windows);

    public static PlanGlance Glance(IEnumerable<ActivityStamp> stamps, DateOnly today, MonitoringWindows windows) =>
        PlanGlance.Of(stamps.Select(s => s.StatusOn(today, windows)));
}
