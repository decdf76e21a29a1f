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

/// <summary>
/// One rubric row as its rating form (<c>_RubricRow.cshtml</c>), the same on the rubric page and on the workshop's
/// participant page: the ids, classes and fields <c>rubric.js</c> and the participant script work with.
/// </summary>
public sealed record RubricRowForm(RubricRow Row, IReadOnlyList<RubricLevelDefinition> Levels, string Action, Guid? Version, int? Level,
    string Evidence, bool Editable)
{
    public string? Consensus { get; init; }
    public string? LevelError { get; init; }
    public string? EvidenceError { get; init; }
    public string EvidenceLabel { get; init; } = "Evidence for this rating";
    public string? EvidenceHelp { get; init; }

    /// <summary>The levels one under another (a phone's width), not side by side.</summary>
    public bool Stacked { get; init; }

    public bool ShowSaveButton { get; init; } = true;
    public string SaveButtonClass { get; init; } = "btn btn-primary btn-sm";

    /// <summary>When the row was last saved and by whom; beside the Save button, or alone when there is none.</summary>
    public string? Status { get; init; }

    /// <summary>What someone else saved while this person was editing, shown under the evidence.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent? ConflictPanel { get; init; }
}
