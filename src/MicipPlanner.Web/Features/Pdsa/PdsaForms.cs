using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Plan;

namespace MicipPlanner.Web.Features.Pdsa;

/// <summary>A PDSA cycle's plan: the change, the question, the prediction, the measures that will show it, who, when, where.</summary>
public class PdsaPlanForm
{
    public string? ChangeIdea { get; set; }
    public string? Question { get; set; }
    public string? Prediction { get; set; }
    public string? Who { get; set; }
    public string? Where { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }

    /// <summary>Measures of the plan; checked against the cycle by the writer.</summary>
    public List<int> MeasureIds { get; set; } = [];

    /// <summary>The cycle this one follows in a ramp, when planned as its next cycle.</summary>
    public int? PreviousPdsaCycleId { get; set; }
}

public abstract class PdsaPlanFormValidator<T> : AbstractValidator<T> where T : PdsaPlanForm
{
    protected PdsaPlanFormValidator()
    {
        RuleFor(x => x.ChangeIdea).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Name the change you will test.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.Question).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write the question the test should answer.")
            .PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Prediction).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write what you predict will happen, before the test.")
            .PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Who).SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.Where).SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.StartDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.EndDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, end) => end is null || form.StartDate is null || end >= form.StartDate).WithMessage("The end date cannot be before the start date.");
        RuleFor(x => x.MeasureIds).Must(m => m.Count <= 50).WithMessage("Choose measures of the plan.");
    }
}

public sealed class PdsaPlanFormValidator : PdsaPlanFormValidator<PdsaPlanForm>;

/// <summary>A plan corrected before the test is carried out.</summary>
public sealed class PdsaPlanEditForm : PdsaPlanForm
{
    public Guid? Version { get; set; }
}

public sealed class PdsaPlanEditFormValidator : PdsaPlanFormValidator<PdsaPlanEditForm>
{
    public PdsaPlanEditFormValidator() => RuleFor(x => x.Version).StaleFormVersion();
}

/// <summary>Do: what happened when the change was tried.</summary>
public sealed class PdsaDoForm
{
    public string? WhatHappened { get; set; }
    public string? Problems { get; set; }
    public string? Observations { get; set; }
    public Guid? Version { get; set; }
}

public sealed class PdsaDoFormValidator : AbstractValidator<PdsaDoForm>
{
    public PdsaDoFormValidator()
    {
        RuleFor(x => x.WhatHappened).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Say what happened when the change was tried.")
            .PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Problems).PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Observations).PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>Study: the result set against the prediction.</summary>
public sealed class PdsaStudyForm
{
    public string? Result { get; set; }
    public PredictionOutcome? PredictionOutcome { get; set; }
    public Guid? Version { get; set; }
}

public sealed class PdsaStudyFormValidator : AbstractValidator<PdsaStudyForm>
{
    public PdsaStudyFormValidator()
    {
        RuleFor(x => x.Result).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Describe the result and how it compares with the prediction.")
            .PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.PredictionOutcome).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Say whether the prediction held.")
            .IsInEnum().WithMessage("Say whether the prediction held.");
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>Act: adopt, adapt or abandon the change.</summary>
public sealed class PdsaActForm
{
    public PdsaDecision? Decision { get; set; }
    public string? DecisionNote { get; set; }
    public Guid? Version { get; set; }
}

public sealed class PdsaActFormValidator : AbstractValidator<PdsaActForm>
{
    public PdsaActFormValidator()
    {
        RuleFor(x => x.Decision).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose adopt, adapt or abandon.")
            .IsInEnum().WithMessage("Choose adopt, adapt or abandon.");
        RuleFor(x => x.DecisionNote).PlainText(PdsaCycle.TextMaxLength);
        RuleFor(x => x.Version).StaleFormVersion();
    }
}
