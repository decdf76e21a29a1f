using FluentValidation;
using MicipPlanner.Domain.Common;

namespace MicipPlanner.Web.Features.Account;

public sealed class SignInForm
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public bool RememberMe { get; set; }
    public string? ReturnUrl { get; set; }
}

public sealed class SignInFormValidator : AbstractValidator<SignInForm>
{
    public SignInFormValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("Enter your e-mail address.")
            .MaximumLength(TextLimits.Email).EmailAddress().WithMessage("Enter a valid e-mail address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(200);
    }
}

/// <summary>First run: the administrator account, offered only while no account exists.</summary>
public sealed class SetupForm
{
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
}

public sealed class SetupFormValidator : AbstractValidator<SetupForm>
{
    public SetupFormValidator()
    {
        RuleFor(x => x.DisplayName).Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your name.")
            .MaximumLength(TextLimits.Name);
        RuleFor(x => x.Email).NotEmpty().WithMessage("Enter your e-mail address.")
            .MaximumLength(TextLimits.Email).EmailAddress().WithMessage("Enter a valid e-mail address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Choose a password.")
            .MinimumLength(10).WithMessage("Use at least 10 characters.").MaximumLength(200);
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage("The two passwords do not match.");
    }
}
