using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Review;

/// <summary>A reviewer's comment on a rubric row, a template or a template item.</summary>
public class Comment : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public CommentTarget TargetType { get; set; }

    /// <summary>Row key for a rubric row; template or item id as text otherwise.</summary>
    public string TargetKey { get; set; } = "";
    public string Body { get; set; } = "";
    public string AuthorUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public enum CommentTarget { RubricRow = 0, Template = 1, TemplateItem = 2 }

/// <summary>One changed field of one record: who, when, old → new. Written in the same transaction.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public int? DistrictId { get; set; }
    public string? UserId { get; set; }
    public DateTimeOffset At { get; set; }
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";
    public AuditAction Action { get; set; }
    public string Field { get; set; } = "";
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }

    /// <summary>How the change came in when not through the person's own sign-in, e.g. "workshop ACD479".</summary>
    public string? Via { get; set; }
}

public enum AuditAction { Create = 0, Update = 1, Delete = 2 }

/// <summary>An in-app notice for one person (a building submitted, a template returned, …).</summary>
public class Notification : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public string UserId { get; set; } = "";
    public string Text { get; set; } = "";
    public string Link { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
