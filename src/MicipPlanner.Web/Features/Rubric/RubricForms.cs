using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Rubric;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>One group's rating of one row, as posted by the rubric page (form or autosave).</summary>
public sealed class RatingForm
{
    public int? Level { get; set; }
    public string? Evidence { get; set; }

    /// <summary>Version of the rating the person started from; empty when the row had no rating yet.</summary>
    public Guid? Version { get; set; }
}

public sealed class RatingFormValidator : AbstractValidator<RatingForm>
{
    public RatingFormValidator()
    {
        RuleFor(x => x.Level).Must(l => l is null || RubricLevels.IsValid(l))
            .WithMessage("Choose one of the four levels.");
        RuleFor(x => x.Evidence).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText, x => $"Evidence is limited to {TextLimits.LongText:N0} characters; this has {FormText.Length(x.Evidence):N0}. Shorten it or attach the detail elsewhere.", controlCharacters: "Remove the control characters from the evidence.");
        RuleFor(x => x).Must(x => x.Level is not null || !string.IsNullOrWhiteSpace(x.Evidence))
            .WithName("Level").OverridePropertyName("Level")
            .WithMessage("Choose a level or write some evidence before saving.");
    }
}

public sealed class ConsensusForm
{
    public int? Level { get; set; }
    public string? Rationale { get; set; }
    public Guid? Version { get; set; }
}

public sealed class ConsensusFormValidator : AbstractValidator<ConsensusForm>
{
    public ConsensusFormValidator()
    {
        RuleFor(x => x.Level).Must(RubricLevels.IsValid).WithMessage("Choose the consensus level: one of the four columns.");
        RuleFor(x => x.Rationale).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText, $"The rationale is limited to {TextLimits.LongText:N0} characters.", controlCharacters: "Remove the control characters from the rationale.");
    }
}

public sealed class GroupForm
{
    public string? Name { get; set; }
    public List<string> MemberIds { get; set; } = [];
    public Guid? Version { get; set; }
}

public sealed class GroupFormValidator : AbstractValidator<GroupForm>
{
    public GroupFormValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Name the group, e.g. Group A.")
            .SingleLineText(60);
    }
}

public sealed class DiscussionForm
{
    public string? Text { get; set; }
    public Guid? Version { get; set; }
}

public sealed class DiscussionFormValidator : AbstractValidator<DiscussionForm>
{
    public DiscussionFormValidator()
    {
        RuleFor(x => x.Text).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText, $"Notes are limited to {TextLimits.LongText:N0} characters.");
    }
}
