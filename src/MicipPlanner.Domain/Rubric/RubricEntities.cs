using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Rubric;

/// <summary>A group that rates the rubric: "Whole team" by default, small groups when the team splits.</summary>
public class RatingGroup : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string Name { get; set; } = "";
    public bool IsWholeTeam { get; set; }
    public int SortOrder { get; set; }
    public List<RatingGroupMember> Members { get; set; } = [];
    public List<RubricRating> Ratings { get; set; } = [];

    public const string WholeTeamName = "Whole team";
}

public class RatingGroupMember : Entity
{
    public int RatingGroupId { get; set; }
    public string UserId { get; set; } = "";
}

/// <summary>One group's rating of one rubric row, with the evidence it cites.</summary>
public class RubricRating : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int RatingGroupId { get; set; }
    public string RowKey { get; set; } = "";

    /// <summary>1 (Beginning) … 4 (Accomplished); null while only evidence has been written.</summary>
    public int? Level { get; set; }
    public string Evidence { get; set; } = "";
    public string UpdatedByUserId { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The team's agreed level for a row and why.</summary>
public class ConsensusRating : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string RowKey { get; set; } = "";
    public int Level { get; set; }
    public string Rationale { get; set; } = "";
    public string RecordedByUserId { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>The team's notes on one discussion question (causal theories, barriers, begin, maintain).</summary>
public class DiscussionNote : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string QuestionKey { get; set; } = "";
    public string Text { get; set; } = "";
    public string UpdatedByUserId { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Activity 1: an example where one of the unintended consequences occurred.</summary>
public class ConsequenceExample : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string ConsequenceKey { get; set; } = "";
    public string Description { get; set; } = "";
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Activity 1: the learner outcome that resonates most with one person, and why.</summary>
public class OutcomeReflection : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string UserId { get; set; } = "";

    /// <summary>1-based number of the learner outcome in the toolkit.</summary>
    public int OutcomeNumber { get; set; }
    public string Why { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}
