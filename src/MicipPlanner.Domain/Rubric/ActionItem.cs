using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Rubric;

/// <summary>An action the team decided on, with an owner, a due date and a status.</summary>
public class ActionItem : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string Title { get; set; } = "";

    /// <summary>Where it came from, e.g. the discussion question "begin"; empty when added directly.</summary>
    public string SourceKey { get; set; } = "";
    public string? OwnerUserId { get; set; }
    public DateOnly? DueDate { get; set; }
    public ActionStatus Status { get; set; } = ActionStatus.NotStarted;
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public bool IsOpen => Status != ActionStatus.Done;
    public bool IsOverdue(DateOnly today) => IsOpen && DueDate is { } due && due < today;
}

public enum ActionStatus { NotStarted = 0, InProgress = 1, Done = 2 }

public static class ActionStatuses
{
    public static string DisplayName(this ActionStatus status) => status switch
    {
        ActionStatus.NotStarted => "Not started",
        ActionStatus.InProgress => "In progress",
        ActionStatus.Done => "Done",
        _ => status.ToString(),
    };
}
