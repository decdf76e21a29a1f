using FluentValidation;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;

namespace MicipPlanner.Web.Features.Balance;

public sealed class TemplateItemForm
{
    public int RowNumber { get; set; }
    public BalanceFunction Function { get; set; }
    public FunctionStatus? Status { get; set; }
    public string? Evidence { get; set; }
    public string? NextAction { get; set; }
    public string? Owner { get; set; }
    public DateOnly? TargetDate { get; set; }
}

/// <summary>A whole template as posted by the page (explicit save or autosave).</summary>
public sealed class TemplateForm
{
    public List<TemplateItemForm> Items { get; set; } = [];
    public string? BuildingsAnswer { get; set; }
    public string? DistrictsAnswer { get; set; }
    public string? CommonAnswer { get; set; }
    public Guid? Version { get; set; }
}

public sealed class TemplateItemFormValidator : AbstractValidator<TemplateItemForm>
{
    public TemplateItemFormValidator()
    {
        RuleFor(x => x.Status).IsInEnum().When(x => x.Status is not null).WithMessage("Choose one of the three statuses.");
        RuleFor(x => x.Function).IsInEnum().WithMessage("Unknown function.");
        Text(RuleFor(x => x.Evidence), TextLimits.LongText, "Evidence");
        Text(RuleFor(x => x.NextAction), TextLimits.LongText, "The next action");
        RuleFor(x => x.Owner).Cascade(CascadeMode.Stop).SingleLineText(TextLimits.Name, $"The owner is limited to {TextLimits.Name:N0} characters.");
        RuleFor(x => x.TargetDate).Must(d => d is null || (d.Value.Year >= 2000 && d.Value.Year <= 2100)).WithMessage("Enter a date between 2000 and 2100.");
    }

    internal static void Text(IRuleBuilderInitial<TemplateItemForm, string?> rule, int max, string what) =>
        rule.Cascade(CascadeMode.Stop)
            .PlainText(max, $"{what} is limited to {max:N0} characters.");
}

public sealed class TemplateFormValidator : AbstractValidator<TemplateForm>
{
    public TemplateFormValidator()
    {
        RuleForEach(x => x.Items).SetValidator(new TemplateItemFormValidator());
        RuleFor(x => x.Items).Must(i => i.Count <= 50).WithMessage("Too many items.");
        Answer(RuleFor(x => x.BuildingsAnswer));
        Answer(RuleFor(x => x.DistrictsAnswer));
        Answer(RuleFor(x => x.CommonAnswer));
    }

    private static void Answer(IRuleBuilderInitial<TemplateForm, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText, $"Answers are limited to {TextLimits.LongText:N0} characters.");
}

public sealed class ReviewForm
{
    public string? Comment { get; set; }
    public Guid? Version { get; set; }

    /// <summary>"desk" when the review was made from the facilitator's desk queue (the only other place to go back to).</summary>
    public string? ReturnTo { get; set; }
}

public sealed class ReviewFormValidator : AbstractValidator<ReviewForm>
{
    public ReviewFormValidator()
    {
        RuleFor(x => x.Comment).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText, $"Comments are limited to {TextLimits.LongText:N0} characters.");
    }
}

public sealed class ItemCommentForm
{
    public string? TargetKey { get; set; }
    public string? Body { get; set; }
}

public sealed class ItemCommentFormValidator : AbstractValidator<ItemCommentForm>
{
    public ItemCommentFormValidator()
    {
        RuleFor(x => x.Body).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write the comment.")
            .PlainText(TextLimits.LongText, $"Comments are limited to {TextLimits.LongText:N0} characters.");
        RuleFor(x => x.TargetKey).Must(k => (k ?? "").Length <= 64).WithMessage("Unknown item.");
    }
}
