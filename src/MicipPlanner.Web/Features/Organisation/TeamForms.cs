using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>Invite a person by e-mail to the district CI team (no building) or to one building's team.</summary>
public sealed class InviteForm
{
    /// <summary>Set from the route, never from the posted form.</summary>
    public int DistrictId { get; set; }
    public int? BuildingId { get; set; }
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public TeamRole? Role { get; set; }
}

public sealed class InviteFormValidator : AbstractValidator<InviteForm>
{
    public InviteFormValidator(AppDbContext db, TimeProvider clock)
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Enter the person's e-mail address.")
            .Must(v => v.Trim().Length <= TextLimits.Email).WithMessage($"Use at most {TextLimits.Email} characters.")
            .Must(v => EmailAddresses.IsValid(v)).WithMessage("Enter a valid e-mail address, e.g. name@school.org.")
            .Must((form, email) => !IsOnTeam(db, form, email)).WithMessage("This person is already on this team.")
            .Must((form, email) => !HasPendingInvitation(db, form, email, clock.GetUtcNow()))
            .WithMessage("This person already has a pending invitation to this team. Revoke it first to send a new one.");
        RuleFor(x => x.DisplayName).Cascade(CascadeMode.Stop)
            .SingleLineText(TextLimits.Name);
        RuleFor(x => x.BuildingId)
            .Must((form, id) => id is null || db.Buildings.Any(b => b.Id == id && b.DistrictId == form.DistrictId))
            .WithMessage("Choose a team from the list.");
        RuleFor(x => x.Role).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose the person's role on the team.")
            .Must((form, role) => TeamRules.RoleRefusal(role!.Value, form.BuildingId is not null, false) is null)
            .WithMessage((form, role) => TeamRules.RoleRefusal(role!.Value, form.BuildingId is not null, false)!)
            .Must((form, role) => role != TeamRole.KeyLeader || form.BuildingId is not null || !KeyLeaderTakenOrOffered(db, form.DistrictId, clock.GetUtcNow()))
            .WithMessage("The district already has a key leader (or a pending invitation for one). Give them another role first: the team has one key leader.");
    }

    private static bool IsOnTeam(AppDbContext db, InviteForm form, string email)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return db.TeamMemberships.Any(m => m.DistrictId == form.DistrictId && m.BuildingId == form.BuildingId
            && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized));
    }

    private static bool HasPendingInvitation(AppDbContext db, InviteForm form, string email, DateTimeOffset now)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        // Expiry compared in memory: SQLite cannot compare DateTimeOffset values in a query.
        return db.Invitations.Where(i => i.DistrictId == form.DistrictId && i.BuildingId == form.BuildingId && !i.AsFacilitator
                && i.AcceptedAt == null && i.Email.ToLower() == trimmed)
            .Select(i => i.ExpiresAt).AsEnumerable().Any(expires => expires > now);
    }

    private static bool KeyLeaderTakenOrOffered(AppDbContext db, int districtId, DateTimeOffset now) =>
        db.TeamMemberships.Any(m => m.DistrictId == districtId && m.BuildingId == null && m.Role == TeamRole.KeyLeader)
        || db.Invitations.Where(i => i.DistrictId == districtId && i.BuildingId == null && i.Role == TeamRole.KeyLeader && i.AcceptedAt == null)
            .Select(i => i.ExpiresAt).AsEnumerable().Any(expires => expires > now);
}

/// <summary>A member's role on their team.</summary>
public sealed class RoleForm
{
    public int DistrictId { get; set; }
    public int MembershipId { get; set; }
    public TeamRole? Role { get; set; }
    public Guid Version { get; set; }
}

public sealed class RoleFormValidator : AbstractValidator<RoleForm>
{
    public RoleFormValidator(AppDbContext db)
    {
        RuleFor(x => x.Role).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Choose a role.")
            .Must((form, role) => Refusal(db, form) is null)
            .WithMessage((form, _) => Refusal(db, form)!);
    }

    private static string? Refusal(AppDbContext db, RoleForm form)
    {
        var membership = db.TeamMemberships.Where(m => m.Id == form.MembershipId && m.DistrictId == form.DistrictId)
            .Select(m => new { m.BuildingId }).SingleOrDefault();
        if (membership is null) return "This person is no longer on the team.";
        var otherKeyLeader = db.TeamMemberships.Any(m => m.DistrictId == form.DistrictId && m.BuildingId == null
            && m.Role == TeamRole.KeyLeader && m.Id != form.MembershipId);
        return TeamRules.RoleRefusal(form.Role!.Value, membership.BuildingId is not null, otherKeyLeader);
    }
}

/// <summary>Start an improvement cycle for a school year, e.g. "2026-27".</summary>
public sealed class StartCycleForm
{
    public int DistrictId { get; set; }
    public string SchoolYear { get; set; } = "";
}

public sealed class StartCycleFormValidator : AbstractValidator<StartCycleForm>
{
    public StartCycleFormValidator(AppDbContext db)
    {
        RuleFor(x => x.SchoolYear).Cascade(CascadeMode.Stop)
            .Must(v => SchoolYears.TryParse(v, out _)).WithMessage("Enter the school year as 2026-27.")
            .Must((form, v) => SchoolYears.TryParse(v, out var year) && !db.Cycles.Any(c => c.DistrictId == form.DistrictId && c.StartYear == year))
            .WithMessage(form => $"The district already has a cycle for {(SchoolYears.TryParse(form.SchoolYear, out var y) ? SchoolYears.Format(y) : form.SchoolYear)}. Open it from the list instead.");
    }
}

public static class EmailAddresses
{
    /// <summary>One address, as Identity and the mail server will accept it: local@domain.tld, no spaces or display name.</summary>
    public static bool IsValid(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Length is 0 or > TextLimits.Email || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')) return false;
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@')) return false;
        var domain = text[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
    }
}
