using FluentValidation;
using MicipPlanner.Domain.Workshops;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>Settings under <c>Workshop</c> in configuration.</summary>
public sealed class WorkshopOptions
{
    public const string Section = "Workshop";

    /// <summary>A workshop nobody ends stops taking part after this many hours.</summary>
    public double ExpiryHours { get; set; } = WorkshopRules.DefaultLifetime.TotalHours;

    /// <summary>Wrong join codes allowed per client address and window before joining answers 429.</summary>
    public int JoinFailuresPerWindow { get; set; } = 10;

    public int JoinWindowSeconds { get; set; } = 300;

    /// <summary>
    /// People one workshop seats at most (a large hall; a district team is 10–40). It is counted per workshop, not per
    /// address, so a room behind one school address joins as usual; a script with the code cannot add people without end.
    /// </summary>
    public int MaxParticipants { get; set; } = 300;
}

public sealed class StartWorkshopForm
{
    public bool Activity1 { get; set; } = true;
    public bool Activity2 { get; set; } = true;
    public bool Activity3 { get; set; } = true;
    public List<int> GroupIds { get; set; } = [];

    /// <summary>Names of groups to create for this workshop, one per line.</summary>
    public string? NewGroups { get; set; }
    public GroupAssignment? Assignment { get; set; } = GroupAssignment.ParticipantsPick;

    public IReadOnlyList<string> NewGroupNames =>
        (NewGroups ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}

public sealed class StartWorkshopFormValidator : AbstractValidator<StartWorkshopForm>
{
    public StartWorkshopFormValidator()
    {
        RuleFor(x => x).Must(x => x.Activity1 || x.Activity2 || x.Activity3)
            .WithName("Activity1").OverridePropertyName("Activity1").WithMessage("Choose at least one activity.");
        RuleFor(x => x.Assignment).NotNull().IsInEnum().WithMessage("Choose how participants get a group.");
        RuleFor(x => x.NewGroups).Cascade(CascadeMode.Stop)
            .NoControlCharacters()
            .Must(n => (n ?? "").Length <= 2000).WithMessage("List at most a few group names (2,000 characters).");
        RuleFor(x => x.NewGroupNames).Must(names => names.All(n => n.Length <= 60)).WithMessage("Use at most 60 characters per group name.")
            .Must(names => names.Count <= 12).WithMessage("Create at most 12 groups at once.");
        RuleFor(x => x).Must(x => !x.Activity2 || x.GroupIds.Count > 0 || x.NewGroupNames.Count > 0)
            .WithName("GroupIds").OverridePropertyName("GroupIds").WithMessage("Activity 2 needs at least one group: choose groups or name new ones.");
    }
}

public sealed class JoinForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
}

public sealed class JoinFormValidator : AbstractValidator<JoinForm>
{
    public JoinFormValidator()
    {
        RuleFor(x => x.Code).Must(c => WorkshopCodes.Normalize(c) is not null)
            .WithMessage($"Type the {WorkshopCodes.Length}-character code shown on the screen.");
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Type the name the group will see, e.g. your first name.")
            .SingleLineText(WorkshopParticipant.NameLimit);
    }
}

public sealed class PickGroupForm
{
    public int? GroupId { get; set; }
}

public sealed class PickGroupFormValidator : AbstractValidator<PickGroupForm>
{
    public PickGroupFormValidator() => RuleFor(x => x.GroupId).NotNull().WithMessage("Choose your group.");
}

public sealed class StepForm
{
    public WorkshopStep? Step { get; set; }
}

public sealed class StepFormValidator : AbstractValidator<StepForm>
{
    public StepFormValidator() => RuleFor(x => x.Step).NotNull().IsInEnum().WithMessage("Choose a step of this workshop.");
}

public enum TimerAction { Start, Pause, AddFive }

public sealed class TimerForm
{
    public TimerAction? Action { get; set; }
}

public sealed class TimerFormValidator : AbstractValidator<TimerForm>
{
    public TimerFormValidator() => RuleFor(x => x.Action).NotNull().IsInEnum().WithMessage("Choose start, pause or add 5 minutes.");
}

public sealed class NamesForm
{
    public bool Hide { get; set; }
}
