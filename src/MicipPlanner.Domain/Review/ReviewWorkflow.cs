using MicipPlanner.Domain.Balance;

namespace MicipPlanner.Domain.Review;

/// <summary>
/// What a building sends to the district team for review, as the workflow's messages name it: a Building Action Planning
/// template, or a building monitoring report.
/// </summary>
public sealed record ReviewedRecord(string Noun)
{
    public static readonly ReviewedRecord Template = new("template");
    public static readonly ReviewedRecord MonitoringReport = new("report");

    /// <summary>Why a return without a comment is refused; review forms show it next to their comment field.</summary>
    public string ReturnNeedsComment => $"Say what the building should change: a comment is required to return a {Noun}.";
}

/// <summary>
/// The one review workflow of what buildings send the district team: Draft → Submitted → Returned (with a comment) or
/// Accepted; a returned record is edited and submitted again. Nothing is edited after submission except by returning it.
/// Templates of Maintaining Balance and building monitoring reports both follow it.
/// </summary>
public static class ReviewWorkflow
{
    public static bool IsEditable(TemplateState state) => state is TemplateState.Draft or TemplateState.Returned;

    /// <summary>The state after <paramref name="action"/>, or the reason it is refused.</summary>
    public static TransitionResult Apply(ReviewedRecord record, TemplateState from, TemplateAction action, string? comment = null)
    {
        var noun = record.Noun;
        return (from, action) switch
        {
            (TemplateState.Draft or TemplateState.Returned, TemplateAction.Submit) => TransitionResult.To(TemplateState.Submitted),
            (TemplateState.Submitted, TemplateAction.Submit) => TransitionResult.Refused($"This {noun} is already submitted; the district team is reviewing it."),
            (TemplateState.Accepted, TemplateAction.Submit) => TransitionResult.Refused($"This {noun} was accepted; it can no longer be changed."),
            (TemplateState.Submitted, TemplateAction.Return) when string.IsNullOrWhiteSpace(comment) => TransitionResult.Refused(record.ReturnNeedsComment),
            (TemplateState.Submitted, TemplateAction.Return) => TransitionResult.To(TemplateState.Returned),
            (TemplateState.Submitted, TemplateAction.Accept) => TransitionResult.To(TemplateState.Accepted),
            (TemplateState.Draft, TemplateAction.Return or TemplateAction.Accept) =>
                TransitionResult.Refused($"Only a submitted {noun} can be returned or accepted; this one is still a draft."),
            (TemplateState.Returned, TemplateAction.Return or TemplateAction.Accept) =>
                TransitionResult.Refused($"This {noun} was returned to the building; it can be reviewed again after the building resubmits it."),
            (TemplateState.Accepted, TemplateAction.Return or TemplateAction.Accept) => TransitionResult.Refused($"This {noun} is already accepted."),
            _ => TransitionResult.Refused("That change is not possible."),
        };
    }
}
