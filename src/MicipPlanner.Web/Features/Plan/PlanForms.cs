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
        RuleFor(x => x.Statement).GoalStatement();
        RuleFor(x => x.State).IsInEnum().WithMessage("Choose a state from the list.");
        // The keys themselves are checked against the cycle's toolkit by the writer.
        RuleFor(x => x.RubricRowKeys).Must(k => k.Count <= 50 && k.All(key => (key ?? "").Length <= 64)).WithMessage("Choose rubric rows from the list.");
    }
}

public class StrategyForm
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
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>A goal's statement corrected or sharpened after it was added (its state has a form of its own).</summary>
public sealed class GoalEditForm
{
    public string? Statement { get; set; }
    public Guid? Version { get; set; }
}

public sealed class GoalEditFormValidator : AbstractValidator<GoalEditForm>
{
    public GoalEditFormValidator()
    {
        RuleFor(x => x.Statement).GoalStatement();
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>A strategy's title, systems and funding changed after it was added.</summary>
public sealed class StrategyEditForm : StrategyForm
{
    public Guid? Version { get; set; }
}

public sealed class StrategyEditFormValidator : AbstractValidator<StrategyEditForm>
{
    public StrategyEditFormValidator()
    {
        Include(new StrategyFormValidator());
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>An activity's title, owner and dates changed after it was added (its buildings stay).</summary>
public sealed class ActivityEditForm
{
    public string? Title { get; set; }
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
        RuleFor(x => x.Title).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Describe the activity.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.OwnerUserId).Must(o => (o ?? "").Length <= 450).WithMessage("Choose an owner from the district's team.");
        RuleFor(x => x.StartDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.DueDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, due) => due is null || form.StartDate is null || due >= form.StartDate).WithMessage("The due date cannot be before the start date.");
        RuleFor(x => x.DoneDate).Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.Version).StaleFormVersion();
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

public class MeasureForm
{
    public string? Name { get; set; }
    public MeasureKind? Kind { get; set; }
    public MeasureUnit? Unit { get; set; }
    public BetterDirection? Better { get; set; }
    public decimal? BaselineValue { get; set; }
    public DateOnly? BaselineDate { get; set; }
    public decimal? EndTargetValue { get; set; }
    public DateOnly? EndTargetDate { get; set; }
    public string? DataSource { get; set; }
}

public sealed class MeasureFormValidator : AbstractValidator<MeasureForm>
{
    public MeasureFormValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Name the measure.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.Kind).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose outcome, process or balancing.")
            .IsInEnum().WithMessage("Choose outcome, process or balancing.");
        RuleFor(x => x.Unit).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a unit from the list.")
            .IsInEnum().WithMessage("Choose a unit from the list.");
        RuleFor(x => x.Better).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose which direction is better.")
            .IsInEnum().WithMessage("Choose which direction is better.");
        RuleFor(x => x.BaselineValue).Must((form, v) => MeasureValues.Sane(v, form.Unit)).WithMessage(form => MeasureValues.Message(form.Unit));
        RuleFor(x => x.BaselineDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, date) => (date is null) == (form.BaselineValue is null)).WithMessage("Give the baseline's value and date together, or neither.");
        RuleFor(x => x.EndTargetValue).Must((form, v) => MeasureValues.Sane(v, form.Unit)).WithMessage(form => MeasureValues.Message(form.Unit));
        RuleFor(x => x.EndTargetDate).Cascade(CascadeMode.Stop)
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage)
            .Must((form, date) => (date is null) == (form.EndTargetValue is null)).WithMessage("Give the end target's value and date together, or neither.")
            .Must((form, date) => date is null || form.BaselineDate is null || date > form.BaselineDate).WithMessage("The end target's date must come after the baseline's.");
        RuleFor(x => x.DataSource).SingleLineText(PlanMeasure.DataSourceMaxLength);
    }
}

public sealed class MeasureTargetForm
{
    public DateOnly? Date { get; set; }
    public decimal? Value { get; set; }
}

public sealed class MeasureTargetFormValidator : AbstractValidator<MeasureTargetForm>
{
    public MeasureTargetFormValidator()
    {
        RuleFor(x => x.Date).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the date the target is due.")
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        // The unit (a percent stays within 0–100) is the measure's: the writer checks it.
        RuleFor(x => x.Value).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the target's value.")
            .Must(v => MeasureValues.Sane(v, null)).WithMessage(MeasureValues.Message(null));
    }
}

public sealed class MeasurePhaseForm
{
    public DateOnly? Date { get; set; }
    public string? Label { get; set; }
}

public sealed class MeasurePhaseFormValidator : AbstractValidator<MeasurePhaseForm>
{
    public MeasurePhaseFormValidator()
    {
        RuleFor(x => x.Date).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the date the change was introduced.")
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.Label).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Say in a few words what changed.")
            .SingleLineText(TextLimits.Name);
    }
}

public class MeasureValueForm
{
    public DateOnly? Date { get; set; }
    public decimal? Value { get; set; }
    public int? BuildingId { get; set; }
    public string? Note { get; set; }
}

public sealed class MeasureValueFormValidator : AbstractValidator<MeasureValueForm>
{
    public MeasureValueFormValidator()
    {
        RuleFor(x => x.Date).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the date the value was taken.")
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
        RuleFor(x => x.Value).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the value.")
            .Must(v => MeasureValues.Sane(v, null)).WithMessage(MeasureValues.Message(null));
        RuleFor(x => x.Note).SingleLineText(PlanMeasureValue.NoteMaxLength);
    }
}

/// <summary>What a measure's value may be: within a sane range, at most four decimals, a percent within 0–100.</summary>
public static class MeasureValues
{
    public static bool Sane(decimal? value, MeasureUnit? unit) =>
        value is not { } v
        || (v >= -MeasureRules.MaxValue && v <= MeasureRules.MaxValue && decimal.Round(v, 4) == v
            && (unit != MeasureUnit.Percent || (v >= 0 && v <= 100)));

    public static string Message(MeasureUnit? unit) => unit == MeasureUnit.Percent
        ? "Enter a percent from 0 to 100, with at most four decimals."
        : "Enter a number (at most four decimals, below a billion).";
}

/// <summary>A measure's name, kind, unit, direction, baseline, end target or data source corrected.</summary>
public sealed class MeasureEditForm : MeasureForm
{
    public Guid? Version { get; set; }
}

public sealed class MeasureEditFormValidator : AbstractValidator<MeasureEditForm>
{
    public MeasureEditFormValidator()
    {
        Include(new MeasureFormValidator());
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>A value recorded with a wrong figure, date or building, corrected.</summary>
public sealed class MeasureValueEditForm : MeasureValueForm
{
    public Guid? Version { get; set; }
}

public sealed class MeasureValueEditFormValidator : AbstractValidator<MeasureValueEditForm>
{
    public MeasureValueEditFormValidator()
    {
        Include(new MeasureValueFormValidator());
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>
/// Removing something from the plan (a value recorded in error, a measure, a strategy or an activity): the person ticks
/// that they mean it, so a stray click removes nothing; the version is the one the page showed.
/// </summary>
public sealed class RemovalForm
{
    public bool Confirm { get; set; }
    public Guid? Version { get; set; }
}

public sealed class RemovalFormValidator : AbstractValidator<RemovalForm>
{
    public RemovalFormValidator()
    {
        RuleFor(x => x.Confirm).Equal(true).WithMessage("Tick the box to confirm the removal.");
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

public static class PlanFormRules
{
    public static IRuleBuilderOptions<T, string?> GoalStatement<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write the goal as a SMART statement.")
            .PlainText(PlanGoal.StatementMaxLength);

    /// <summary>A change form carries the version it was shown with; without it no stale save could be told apart.</summary>
    public static IRuleBuilderOptions<T, Guid?> StaleFormVersion<T>(this IRuleBuilder<T, Guid?> rule) =>
        rule.NotNull().WithMessage("Reload the page and make the change again.");
}
