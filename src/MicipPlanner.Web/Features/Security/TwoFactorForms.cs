using FluentValidation;

namespace MicipPlanner.Web.Features.Security;

/// <summary>The sign-in step after the password: the six-digit code from the authenticator app.</summary>
public sealed class TwoFactorSignInForm
{
    public string Code { get; set; } = "";
    public bool RememberMe { get; set; }
    public string? ReturnUrl { get; set; }
}

public sealed class TwoFactorSignInFormValidator : AbstractValidator<TwoFactorSignInForm>
{
    public TwoFactorSignInFormValidator()
    {
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Enter the 6-digit code from your authenticator app.")
            .Must(c => TwoFactorCodes.Normalize(c).Length == 6 && TwoFactorCodes.Normalize(c).All(char.IsAsciiDigit))
            .WithMessage("The code has 6 digits.");
    }
}

/// <summary>Signing in with one of the recovery codes when the phone is not at hand.</summary>
public sealed class RecoveryCodeForm
{
    public string Code { get; set; } = "";
    public string? ReturnUrl { get; set; }
}

public sealed class RecoveryCodeFormValidator : AbstractValidator<RecoveryCodeForm>
{
    public RecoveryCodeFormValidator()
    {
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Enter one of your recovery codes.")
            .MaximumLength(40).WithMessage("A recovery code is shorter than that.");
    }
}

/// <summary>Turning on the authenticator: the first code proves the app holds the key.</summary>
public sealed class EnableAuthenticatorForm
{
    public string Code { get; set; } = "";
}

public sealed class EnableAuthenticatorFormValidator : AbstractValidator<EnableAuthenticatorForm>
{
    public EnableAuthenticatorFormValidator()
    {
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Enter the 6-digit code your authenticator app shows.")
            .Must(c => TwoFactorCodes.Normalize(c).Length == 6 && TwoFactorCodes.Normalize(c).All(char.IsAsciiDigit))
            .WithMessage("The code has 6 digits.");
    }
}

public static class TwoFactorCodes
{
    /// <summary>People type codes with spaces or dashes ("123 456"); Identity wants the digits only.</summary>
    public static string Normalize(string? code) => (code ?? "").Replace(" ", "").Replace("-", "").Trim();
}

public sealed record SecurityPageModel(string Email, bool TwoFactorEnabled, int RecoveryCodesLeft, bool Required, bool IsStaff);

public sealed record AuthenticatorPageModel(string SharedKey, string AuthenticatorUri, string QrCodeDataUri, bool Required, EnableAuthenticatorForm Form);

public sealed record RecoveryCodesPageModel(IReadOnlyList<string> Codes);
