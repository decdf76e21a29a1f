using FluentValidation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Plan;

namespace MicipPlanner.Web.Features.Evaluation;

/// <summary>A goal's year-end evaluation: the four questions in the team's words, the money used, the decision and why.</summary>
public sealed class GoalEvaluationForm
{
    public string? Readiness { get; set; }
    public string? Fidelity { get; set; }
    public string? ScaleAndReach { get; set; }
    public string? Impact { get; set; }
    public decimal? AmountUsed { get; set; }
    public EvaluationDecision? Decision { get; set; }
    public string? Rationale { get; set; }

    /// <summary>The stored evaluation's version the form was shown with; none before the first save.</summary>
    public Guid? Version { get; set; }
}

public sealed class GoalEvaluationFormValidator : AbstractValidator<GoalEvaluationForm>
{
    public GoalEvaluationFormValidator()
    {
        RuleFor(x => x.Readiness).PlainText(GoalEvaluation.TextMaxLength);
        RuleFor(x => x.Fidelity).PlainText(GoalEvaluation.TextMaxLength);
        RuleFor(x => x.ScaleAndReach).PlainText(GoalEvaluation.TextMaxLength);
        RuleFor(x => x.Impact).PlainText(GoalEvaluation.TextMaxLength);
        RuleFor(x => x.AmountUsed).Must(a => a is null || (a >= 0 && a <= StrategyFormValidator.MaxAmount && decimal.Round(a.Value, 2) == a))
            .WithMessage("Enter an amount in dollars and cents, 0 or more.");
        RuleFor(x => x.Decision).IsInEnum().WithMessage("Choose maintain, revise, discontinue or archive.");
        RuleFor(x => x.Rationale).Cascade(CascadeMode.Stop)
            .Must((form, text) => form.Decision is null || FormText.HasText(text)).WithMessage("Say why the team decided so.")
            .PlainText(GoalEvaluation.TextMaxLength);
    }
}

/// <summary>The goals of last year the team confirms to carry into this year's plan, one checkbox each.</summary>
public sealed class CarryOverForm
{
    public List<int> GoalIds { get; set; } = [];
}

public sealed class CarryOverFormValidator : AbstractValidator<CarryOverForm>
{
    public CarryOverFormValidator() =>
        RuleFor(x => x.GoalIds).Cascade(CascadeMode.Stop)
            .Must(ids => ids.Count > 0).WithMessage("Tick the goals to carry over.")
            .Must(ids => ids.Count <= 200).WithMessage("Choose goals from the list.");
}
