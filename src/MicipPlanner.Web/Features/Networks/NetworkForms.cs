using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>Create or edit a network: its name, what it is for and the facilitator who coordinates it.</summary>
public sealed class NetworkForm
{
    /// <summary>The network being edited, from the route (none when creating one); a posted field of this name is ignored.</summary>
    [FromRoute(Name = "networkId")]
    public int? Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string? CoordinatorUserId { get; set; }
    public Guid? Version { get; set; }
}

public sealed class NetworkFormValidator : AbstractValidator<NetworkForm>
{
    public NetworkFormValidator(AppDbContext db)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Enter the network's name.")
            .SingleLineText(TextLimits.Name)
            .Must((form, name) => !db.Networks.Any(n => n.Name == name!.Trim() && n.Id != (form.Id ?? 0)))
            .WithMessage("Another network already has this name.");
        RuleFor(x => x.Description).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText);
        RuleFor(x => x.CoordinatorUserId)
            .Must(id => string.IsNullOrEmpty(id) || IsFacilitatorOrAdmin(db, id))
            .WithMessage("Choose a facilitator from the list, or nobody.");
    }

    private static bool IsFacilitatorOrAdmin(AppDbContext db, string userId) =>
        db.UserRoles.Any(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == AppRoles.Facilitator || r.Name == AppRoles.Admin)));
}

/// <summary>Add a district to a network.</summary>
public sealed class NetworkDistrictForm
{
    public int? DistrictId { get; set; }
}

public sealed class NetworkDistrictFormValidator : AbstractValidator<NetworkDistrictForm>
{
    public NetworkDistrictFormValidator(AppDbContext db)
    {
        RuleFor(x => x.DistrictId).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a district.")
            .Must(id => db.Districts.Any(d => d.Id == id)).WithMessage("Choose a district from the list.");
    }
}

/// <summary>A destructive step (removing a district from a network, withdrawing a note) asks for a tick first.</summary>
public sealed class ConfirmForm
{
    public bool Confirm { get; set; }
}

public sealed class ConfirmFormValidator : AbstractValidator<ConfirmForm>
{
    public ConfirmFormValidator()
    {
        RuleFor(x => x.Confirm).Equal(true).WithMessage("Tick the box to confirm.");
    }
}

/// <summary>A practice note on a finalized rubric row.</summary>
public sealed class PracticeNoteForm
{
    public int? CycleId { get; set; }
    public string RowKey { get; set; } = "";
    public string Text { get; set; } = "";
    public string ContactRole { get; set; } = "";
    public bool IsAnonymous { get; set; }
    public Guid? Version { get; set; }
}

public sealed class PracticeNoteFormValidator : AbstractValidator<PracticeNoteForm>
{
    public PracticeNoteFormValidator()
    {
        RuleFor(x => x.RowKey).Must(FormText.HasText).WithMessage("Choose a rubric row.");
        RuleFor(x => x.Text).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Write what helped your district; a sentence or two is enough.")
            .PlainText(PracticeNote.MaxTextLength, $"Keep the note to {PracticeNote.MaxTextLength:N0} characters.");
        RuleFor(x => x.ContactRole).Cascade(CascadeMode.Stop)
            .SingleLineText(PracticeNote.MaxContactRoleLength)
            .Must(v => !(v ?? "").Contains('@')).WithMessage("Give a role (for example “Director of curriculum”), not an e-mail address.");
    }
}
