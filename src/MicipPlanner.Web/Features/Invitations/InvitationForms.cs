using FluentValidation;
using MicipPlanner.Domain.Common;

namespace MicipPlanner.Web.Features.Invitations;

/// <summary>How the invitee accepts: decided on the server from the invitation and who is signed in.</summary>
public enum AcceptMode
{
    /// <summary>No account with the invited address: choose a name and a password.</summary>
    NewAccount,
    /// <summary>An account exists: sign in with its password to accept.</summary>
    SignIn,
    /// <summary>Signed in as the invited person: one click.</summary>
    SignedIn,
    /// <summary>Signed in as somebody else: sign out first.</summary>
    OtherAccount,
}

/// <summary>The invitation code, posted from the open page (taken from the link's fragment, or pasted).</summary>
public sealed class OpenForm
{
    public string? Token { get; set; }
}

public sealed class AcceptForm
{
    /// <summary>Set by the server, never taken from the posted form.</summary>
    public AcceptMode Mode { get; set; }
    public string DisplayName { get; set; } = "";
    public string Password { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
}

public sealed class AcceptFormValidator : AbstractValidator<AcceptForm>
{
    public AcceptFormValidator()
    {
        When(x => x.Mode == AcceptMode.NewAccount, () =>
        {
            RuleFor(x => x.DisplayName).Cascade(CascadeMode.Stop)
                .Must(FormText.HasText).WithMessage("Enter your name as your team will see it.")
                .SingleLineText(TextLimits.Name);
            RuleFor(x => x.Password).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Choose a password.")
                .MaximumLength(200).WithMessage("Use at most 200 characters.");
            RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage("The two passwords do not match.");
        });
        When(x => x.Mode == AcceptMode.SignIn, () =>
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(200));
    }
}
