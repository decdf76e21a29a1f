using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Organisation;

namespace MicipPlanner.Web.Features.Admin;

/// <summary>Invite a facilitator (a new or existing account) to serve one district.</summary>
public sealed class FacilitatorInviteForm
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public int? DistrictId { get; set; }
}

public sealed class FacilitatorInviteFormValidator : AbstractValidator<FacilitatorInviteForm>
{
    public FacilitatorInviteFormValidator(AppDbContext db, TimeProvider clock)
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Enter the facilitator's e-mail address.")
            .Must(v => EmailAddresses.IsValid(v)).WithMessage("Enter a valid e-mail address, e.g. name@isd.org.")
            .Must((form, email) => !IsAssigned(db, form.DistrictId, email)).WithMessage("This person already facilitates this district.")
            .Must((form, email) => !HasPendingInvitation(db, form.DistrictId, email, clock.GetUtcNow()))
            .WithMessage("This person already has a pending facilitator invitation for this district.");
        RuleFor(x => x.DisplayName).Cascade(CascadeMode.Stop)
            .SingleLineText(TextLimits.Name);
        RuleFor(x => x.DistrictId)
            .Must(id => id is not null && db.Districts.Any(d => d.Id == id)).WithMessage("Choose the district the facilitator serves first.");
    }

    private static bool IsAssigned(AppDbContext db, int? districtId, string email)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return db.FacilitatorAssignments.Any(f => f.DistrictId == districtId && db.Users.Any(u => u.Id == f.UserId && u.NormalizedEmail == normalized));
    }

    private static bool HasPendingInvitation(AppDbContext db, int? districtId, string email, DateTimeOffset now)
    {
        var lower = email.Trim().ToLowerInvariant();
        return db.Invitations.Where(i => i.DistrictId == districtId && i.AsFacilitator && i.AcceptedAt == null && i.Email.ToLower() == lower)
            .Select(i => i.ExpiresAt).AsEnumerable().Any(expires => expires > now);
    }
}

/// <summary>Assign a facilitator account to a district (or take the assignment away).</summary>
public sealed class AssignmentForm
{
    public string UserId { get; set; } = "";
    public int? DistrictId { get; set; }
}

public sealed class AssignmentFormValidator : AbstractValidator<AssignmentForm>
{
    public AssignmentFormValidator(AppDbContext db)
    {
        RuleFor(x => x.UserId)
            .Must(id => db.UserRoles.Any(r => r.UserId == id && db.Roles.Any(role => role.Id == r.RoleId && role.Name == AppRoles.Facilitator)))
            .WithMessage("Choose a facilitator account.");
        RuleFor(x => x.DistrictId)
            .Must(id => id is not null && db.Districts.Any(d => d.Id == id)).WithMessage("Choose a district.");
    }
}
