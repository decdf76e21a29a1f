using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Features.Districts.Access;

namespace MicipPlanner.Web.Features.Balance;

public sealed record ItemView(ItemSlot Slot, BalanceRow Row, string FunctionText, FunctionStatus? Status, string Evidence,
    string NextAction, string Owner, DateOnly? TargetDate, IReadOnlyList<CommentView> Comments, RollupRow? Rollup)
{
    public string Key => $"{Slot.RowNumber}-{Slot.Function}";
}

public sealed record CommentView(string Author, DateTimeOffset At, string Body);
public sealed record TransitionView(TemplateState From, TemplateState To, string Who, DateTimeOffset At, string Comment);

public sealed record TemplatePageModel(
    CycleContext Cycle,
    ToolkitDefinition Toolkit,
    int? BuildingId,
    string Title,
    TemplateState? State,
    Guid? Version,
    IReadOnlyList<ItemView> Items,
    string BuildingsAnswer,
    string DistrictsAnswer,
    string CommonAnswer,
    bool CanEdit,
    bool CanSubmit,
    bool CanReview,
    IReadOnlyList<TransitionView> Timeline,
    IReadOnlyList<CommentView> TemplateComments,
    IReadOnlyList<string> Missing,
    string? RollupLabel)
{
    public int Completed => Items.Count(i => TemplateWorkflow.IsComplete(new ItemEntry(i.Slot, i.Status, i.NextAction, i.Owner)));
    public string? LastReturnComment => State == TemplateState.Returned ? Timeline.LastOrDefault(t => t.To == TemplateState.Returned)?.Comment : null;
}

public sealed record QueueRow(int BuildingId, string BuildingName, string State, TemplateState? RawState, DateTimeOffset? UpdatedAt, DateTimeOffset? SubmittedAt, int Completed, int Total);

public sealed record QueuePageModel(CycleContext Cycle, IReadOnlyList<QueueRow> Buildings, bool IsDistrictSide);

public sealed record RollupLine(BalanceRow Row, RollupRow Counts, IReadOnlyList<(string Building, string Action)> NextActions);

public sealed record RollupPageModel(CycleContext Cycle, bool IncludeSubmitted, int CountedTemplates, IReadOnlyList<RollupLine> Rows,
    IReadOnlyList<string> NotSubmitted, int BuildingCount)
{
    public string Basis => IncludeSubmitted ? "accepted and submitted templates" : "accepted templates only";
}
