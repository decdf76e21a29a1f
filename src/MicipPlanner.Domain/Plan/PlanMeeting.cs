using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>
/// A monitoring meeting the team held and recorded: the next meeting page shows what changed since it. One per day and
/// cycle (recording the same day twice is one meeting).
/// </summary>
public class PlanMeeting : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }

    /// <summary>The meeting's date in the district's calendar.</summary>
    public DateOnly HeldOn { get; set; }
    public string RecordedByUserId { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
}
