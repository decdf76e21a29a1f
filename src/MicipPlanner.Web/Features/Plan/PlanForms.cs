using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Plan;

public sealed class GoalForm
{
    public string? Statement { get; set; }
    public GoalState State { get; set; } = GoalState.Active;
    public List<string> RubricRowKeys { get; set; } = [];
}

public sealed class GoalFormValidator : AbstractValidator<GoalForm>
{
    public GoalFormValidator()
    {
        RuleFor(x => x.Statement).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write the goal as a SMART statement.")
            .PlainText(PlanGoal.StatementMaxLength);
        RuleFor(x => x.State).IsInEnum().WithMessage("Choose a state from the list.");
        // The keys themselves are checked against the cycle's toolkit by the writer.
        RuleFor(x => x.RubricRowKeys).Must(k => k.Count <= 50 && k.All(key => (key ?? "").Length <= 64)).WithMessage("Choose rubric rows from the list.");
    }
}

public sealed class StrategyForm
{
    public string? Title { get; set; }
    public List<PlanSystems> Systems { get; set; } = [];
    public string? FundingSource { get; set; }
    public decimal? PlannedAmount { get; set; }
}

public sealed class StrategyFormValidator : AbstractValidator<StrategyForm>
{
    public const decimal MaxAmount = 999_999_999_999m;

    public StrategyFormValidator()
    {
        RuleFor(x => x.Title).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Name the strategy.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.Systems).Must(s => s.All(system => PlanRules.AllSystems.Contains(system))).WithMessage("Choose systems from the list.");
        RuleFor(x => x.FundingSource).SingleLineText(TextLimits.Name);
        RuleFor(x => x.PlannedAmount).Must(a => a is null || (a >= 0 && a <= MaxAmount && decimal.Round(a.Value, 2) == a))
            .WithMessage("Enter an amount in dollars and cents, 0 or more.");
    }
}

public sealed class ActivityForm
{
    public string? Title { get; set; }
    public string? OwnerUserId { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateOnly? DoneDate { get; set; }
    public bool AllBuildings { get; set; }

    /// <summary>The buildings taking part when not all do; checked against the district by the writer.</summary>
    public List<int> BuildingIds { get; set; } = [];
}

public sealed class ActivityFormValidator : AbstractValidator<ActivityForm>
{
    public ActivityFormValidator()
    {
        RuleFor(x => x.Title).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Describe the activity.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.OwnerUserId).Must(o => (o ?? "").Length <= 450).WithMessage("Choose an owner from the district's team.");
        RuleFor(x => x.StartDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.DueDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, due) => due is null || form.StartDate is null || due >= form.StartDate).WithMessage("The due date cannot be before the start date.");
        RuleFor(x => x.DoneDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.BuildingIds).Must(b => b.Count <= 500).WithMessage("Choose buildings of the district.");
    }
}

/// <summary>A goal moved between active, maintenance and archived.</summary>
public sealed class GoalStateForm
{
    public GoalState? State { get; set; }
    public Guid? Version { get; set; }
}

public sealed class GoalStateFormValidator : AbstractValidator<GoalStateForm>
{
    public GoalStateFormValidator()
    {
        RuleFor(x => x.State).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a state from the list.")
            .IsInEnum().WithMessage("Choose a state from the list.");
        RuleFor(x => x.Version).NotNull().WithMessage("Reload the page and make the change again.");
    }
}

/// <summary>An activity's owner and dates changed after it was added (its title and buildings stay).</summary>
public sealed class ActivityEditForm
{
    public string? OwnerUserId { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateOnly? DoneDate { get; set; }
    public Guid? Version { get; set; }
}

public sealed class ActivityEditFormValidator : AbstractValidator<ActivityEditForm>
{
    public ActivityEditFormValidator()
    {
        RuleFor(x => x.OwnerUserId).Must(o => (o ?? "").Length <= 450).WithMessage("Choose an owner from the district's team.");
        RuleFor(x => x.StartDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.DueDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, due) => due is null || form.StartDate is null || due >= form.StartDate).WithMessage("The due date cannot be before the start date.");
        RuleFor(x => x.DoneDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.Version).NotNull().WithMessage("Reload the page and make the change again.");
    }
}

/// <summary>An action item of the cycle filed under a strategy as an activity.</summary>
public sealed class FileActionItemForm
{
    public int? StrategyId { get; set; }
}

public sealed class FileActionItemFormValidator : AbstractValidator<FileActionItemForm>
{
    public FileActionItemFormValidator()
    {
        RuleFor(x => x.StrategyId).NotNull().WithMessage("Choose the strategy to file it under.");
    }
}

public sealed class CheckInForm
{
    public DateOnly? Date { get; set; }
    public TeamJudgment? Judgment { get; set; }
    public string? Note { get; set; }
    public string? EvidenceLink { get; set; }
}

public sealed class CheckInFormValidator : AbstractValidator<CheckInForm>
{
    public CheckInFormValidator()
    {
        RuleFor(x => x.Date).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the date of the check-in.")
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.Judgment).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose on track, at risk or off track.")
            .IsInEnum().WithMessage("Choose on track, at risk or off track.");
        RuleFor(x => x.Note).PlainText(PlanCheckIn.NoteMaxLength);
        RuleFor(x => x.EvidenceLink).Cascade(CascadeMode.Stop)
            .SingleLineText(PlanCheckIn.LinkMaxLength)
            .Must(PlanDates.IsWebLinkOrEmpty).WithMessage("Enter a web address starting with http:// or https://, or leave it empty.");
    }
}

public static class PlanDates
{
    public const string RangeMessage = "Enter a date between 2000 and 2100.";

    public static bool InRange(DateOnly? date) => date is null || (date.Value.Year >= 2000 && date.Value.Year <= 2100);

    /// <summary>An absolute http or https address (no javascript: or data: links in evidence), or nothing.</summary>
    public static bool IsWebLinkOrEmpty(string? link) =>
        string.IsNullOrWhiteSpace(link)
        || (Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host));
}

/// <summary>What the shared check-in form needs: the page whose action it posts to, the activity, the refused form shown again.</summary>
public sealed record CheckInFormModel(string Controller, int DistrictId, int CycleId, int ActivityId, CheckInForm? Posted, DateOnly Today,
    string IdPrefix = "");
