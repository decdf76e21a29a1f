using FluentValidation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Plan;

namespace MicipPlanner.Web.Features.Reports;

/// <summary>A monitoring period the district adds: its name and the date building reports are due.</summary>
public class PeriodForm
{
    public string? Name { get; set; }
    public DateOnly? DueDate { get; set; }
}

public sealed class PeriodFormValidator : AbstractValidator<PeriodForm>
{
    public PeriodFormValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Name the period, e.g. “Fall”.")
            .SingleLineText(MonitoringPeriod.NameMaxLength);
        RuleFor(x => x.DueDate).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Enter the date building reports are due.")
            .Must(PlanDates.InRange).WithMessage(PlanDates.RangeMessage);
    }
}

/// <summary>A period's name or due date corrected, with the version the page showed.</summary>
public sealed class PeriodEditForm : PeriodForm
{
    public Guid? Version { get; set; }
}

public sealed class PeriodEditFormValidator : AbstractValidator<PeriodEditForm>
{
    public PeriodEditFormValidator()
    {
        Include(new PeriodFormValidator());
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>The removal of a period: ticked to confirm, with the number of draft reports the confirmation named.</summary>
public sealed class PeriodRemovalForm
{
    public bool Confirm { get; set; }
    public int Drafts { get; set; }
    public Guid? Version { get; set; }
}

public sealed class PeriodRemovalFormValidator : AbstractValidator<PeriodRemovalForm>
{
    public PeriodRemovalFormValidator()
    {
        RuleFor(x => x.Confirm).Equal(true).WithMessage("Tick the box to confirm the removal.");
        RuleFor(x => x.Drafts).InclusiveBetween(0, 100_000).WithMessage("Open the period again and confirm its removal from there.");
        RuleFor(x => x.Version).StaleFormVersion();
    }
}

/// <summary>The measures of the plan building teams report in every period (the boxes ticked).</summary>
public sealed class ReportedMeasuresForm
{
    public List<int> MeasureIds { get; set; } = [];
}

public sealed class ReportedMeasuresFormValidator : AbstractValidator<ReportedMeasuresForm>
{
    public ReportedMeasuresFormValidator() =>
        RuleFor(x => x.MeasureIds).Must(ids => ids.Count <= 200).WithMessage("Choose at most 200 measures.");
}

public sealed class ReportValueForm
{
    public int MeasureId { get; set; }
    public decimal? Value { get; set; }
    public string? Note { get; set; }
}

public sealed class ReportActivityForm
{
    public int ActivityId { get; set; }
    public TeamJudgment? Judgment { get; set; }
    public string? Note { get; set; }
}

/// <summary>A building's report as its page posts it: every value, every activity's status and the recommendations.</summary>
public sealed class BuildingReportForm
{
    public List<ReportValueForm> Values { get; set; } = [];
    public List<ReportActivityForm> Activities { get; set; } = [];
    public string? Recommendations { get; set; }
    public Guid? Version { get; set; }
}

public sealed class BuildingReportFormValidator : AbstractValidator<BuildingReportForm>
{
    public BuildingReportFormValidator()
    {
        RuleFor(x => x.Values).Must(v => v.Count <= 200).WithMessage("Too many values.");
        RuleFor(x => x.Activities).Must(a => a.Count <= 500).WithMessage("Too many activities.");
        RuleForEach(x => x.Values).ChildRules(value =>
        {
            value.RuleFor(v => v.Value).Must(v => v is null || MeasureValues.Sane(v, null)).WithMessage(MeasureValues.Message(null));
            value.RuleFor(v => v.Note).SingleLineText(BuildingReportValue.NoteMaxLength);
        });
        RuleForEach(x => x.Activities).ChildRules(activity =>
        {
            activity.RuleFor(a => a.Judgment).IsInEnum().When(a => a.Judgment is not null).WithMessage("Choose on track, at risk or off track.");
            activity.RuleFor(a => a.Note).SingleLineText(BuildingReportActivity.NoteMaxLength);
        });
        RuleFor(x => x.Recommendations).Cascade(CascadeMode.Stop)
            .PlainText(BuildingReport.RecommendationsMaxLength, $"Recommendations are limited to {BuildingReport.RecommendationsMaxLength:N0} characters.");
    }
}
