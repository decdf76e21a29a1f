using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Features.Districts.Access;

namespace MicipPlanner.Web.Features.Rubric;

public sealed record GroupOption(int Id, string Name, bool IsWholeTeam, bool IsMine);

public sealed record RatingState(int? Level, string Evidence, Guid? Version, string? UpdatedBy, DateTimeOffset? UpdatedAt);

/// <summary>What another person saved while this person was editing.</summary>
public sealed record RatingConflict(RatingState Theirs, RatingForm Yours);

public sealed record RubricRowView(RubricRow Row, RatingState Rating, int? ConsensusLevel, RatingConflict? Conflict);

public sealed record RubricPageModel(
    CycleContext Cycle,
    ToolkitDefinition Toolkit,
    IReadOnlyList<GroupOption> Groups,
    GroupOption Group,
    bool CanEdit,
    string? ReadOnlyReason,
    IReadOnlyList<RubricRowView> Rows)
{
    public string LevelName(int level) => Toolkit.Rubric.Levels[level - 1].FullName;
}

public sealed record GroupRating(string GroupName, int? Level, string Evidence);

public sealed record CompareRow(RubricRow Row, IReadOnlyList<GroupRating> Groups, RowComparison Comparison,
    int? ConsensusLevel, string ConsensusRationale, Guid? ConsensusVersion, string? RecordedBy);

public sealed record ComparePageModel(CycleContext Cycle, ToolkitDefinition Toolkit, IReadOnlyList<string> GroupNames,
    IReadOnlyList<CompareRow> Rows, IReadOnlyList<string> MissingConsensus)
{
    public string LevelName(int level) => Toolkit.Rubric.Levels[level - 1].FullName;
}

public sealed record MemberOption(string UserId, string Name);

public sealed record GroupSummary(int Id, string Name, bool IsWholeTeam, Guid Version, IReadOnlyList<MemberOption> Members, int RatedRows);

public sealed record GroupsPageModel(CycleContext Cycle, IReadOnlyList<GroupSummary> Groups, IReadOnlyList<MemberOption> TeamMembers);

public sealed record DiscussionItem(KeyedText Question, string Text, Guid? Version, string? UpdatedBy, DateTimeOffset? UpdatedAt);

public sealed record DiscussionPageModel(CycleContext Cycle, IReadOnlyList<DiscussionItem> Questions, IReadOnlyList<MemberOption> TeamMembers, bool CanEdit);
