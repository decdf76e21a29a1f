using System.Globalization;
using System.Security.Claims;
using System.Text;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Account;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QRCoder;

namespace MicipPlanner.Web.Features.Security;

/// <summary>
/// Two-factor sign-in with an authenticator app (time-based one-time codes): the sign-in step after
/// the password, recovery codes, and the page where anyone turns it on or off.
/// </summary>
[Route("account")]
public sealed class TwoFactorController(SignInManager<AppUser> signIn, UserManager<AppUser> users,
    IOptionsMonitor<SecurityOptions> options, ILogger<TwoFactorController> logger) : Controller
{
    private const string Issuer = "MICIP Planner";
    private const int RecoveryCodeCount = 10;

    // ---- Sign-in step -------------------------------------------------------------------------

    [HttpGet("two-factor"), AllowAnonymous]
    public async Task<IActionResult> SignInCode(string? returnUrl, bool rememberMe)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return RedirectToAction(nameof(AccountController.SignIn), "Account");
        return View("TwoFactorSignIn", new TwoFactorSignInForm { ReturnUrl = returnUrl, RememberMe = rememberMe });
    }

    [HttpPost("two-factor"), AllowAnonymous]
    public async Task<IActionResult> SignInCode(TwoFactorSignInForm form)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToAction(nameof(AccountController.SignIn), "Account");
        if (!ModelState.IsValid) return View("TwoFactorSignIn", form);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactorCodes.Normalize(form.Code), form.RememberMe, rememberClient: false);
        if (result.Succeeded) return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        logger.LogWarning("Two-factor code refused for user {UserId}; locked out: {LockedOut}", user.Id, result.IsLockedOut);
        ModelState.AddModelError(nameof(TwoFactorSignInForm.Code), result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes."
            : "That code is not right. Check the time on your phone and enter the code showing now.");
        form.Code = "";
        return View("TwoFactorSignIn", form);
    }

    [HttpGet("recovery-code"), AllowAnonymous]
    public async Task<IActionResult> RecoveryCode(string? returnUrl)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return RedirectToAction(nameof(AccountController.SignIn), "Account");
        return View("RecoveryCodeSignIn", new RecoveryCodeForm { ReturnUrl = returnUrl });
    }

    [HttpPost("recovery-code"), AllowAnonymous]
    public async Task<IActionResult> RecoveryCode(RecoveryCodeForm form)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToAction(nameof(AccountController.SignIn), "Account");
        if (!ModelState.IsValid) return View("RecoveryCodeSignIn", form);
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(form.Code.Replace(" ", "", StringComparison.Ordinal).Trim());
        if (result.Succeeded)
        {
            logger.LogInformation("User {UserId} signed in with a recovery code", user.Id);
            TempData["Status"] = "You signed in with a recovery code, which is now used up. If your phone is lost, set up the authenticator again.";
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }
        logger.LogWarning("Recovery code refused for user {UserId}; locked out: {LockedOut}", user.Id, result.IsLockedOut);
        ModelState.AddModelError(nameof(RecoveryCodeForm.Code), result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes."
            : "That recovery code is not right, or it was already used.");
        form.Code = "";
        return View("RecoveryCodeSignIn", form);
    }

    // ---- The person's own security settings ---------------------------------------------------

    [HttpGet("security"), Authorize]
    public async Task<IActionResult> Index()
    {
        var user = await CurrentUserAsync();
        return View("Index", new SecurityPageModel(user.Email ?? "", await users.GetTwoFactorEnabledAsync(user),
            await users.CountRecoveryCodesAsync(user), IsRequiredFor(User), StaffTwoFactorMiddleware.IsStaff(User)));
    }

    [HttpGet("security/authenticator"), Authorize]
    public async Task<IActionResult> Authenticator()
    {
        var user = await CurrentUserAsync();
        if (await users.GetTwoFactorEnabledAsync(user)) return RedirectToAction(nameof(Index));
        return View("Authenticator", await BuildAuthenticatorAsync(user, new EnableAuthenticatorForm()));
    }

    [HttpPost("security/authenticator"), Authorize]
    public async Task<IActionResult> Authenticator(EnableAuthenticatorForm form)
    {
        var user = await CurrentUserAsync();
        if (ModelState.IsValid)
        {
            var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TwoFactorCodes.Normalize(form.Code));
            if (!valid) ModelState.AddModelError(nameof(EnableAuthenticatorForm.Code), "That code is not right. Check that the app shows “MICIP Planner” and enter the code showing now.");
        }
        if (!ModelState.IsValid)
        {
            form.Code = "";
            return View("Authenticator", await BuildAuthenticatorAsync(user, form));
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        // The new sign-in records the second factor, so the staff requirement is met from now on.
        var current = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await signIn.SignInWithClaimsAsync(user, current.Properties?.IsPersistent ?? false, [new Claim("amr", StaffTwoFactorMiddleware.MfaMethod)]);
        logger.LogInformation("User {UserId} turned on two-factor sign-in", user.Id);
        ViewData["Status"] = "Two-factor sign-in is on. From now on you will be asked for a code from your authenticator app after your password.";
        return View("RecoveryCodes", new RecoveryCodesPageModel(codes));
    }

    [HttpPost("security/recovery-codes"), Authorize]
    public async Task<IActionResult> NewRecoveryCodes()
    {
        var user = await CurrentUserAsync();
        if (!await users.GetTwoFactorEnabledAsync(user)) return RedirectToAction(nameof(Index));
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        logger.LogInformation("User {UserId} generated new recovery codes", user.Id);
        ViewData["Status"] = "New recovery codes are ready; the old ones no longer work.";
        return View("RecoveryCodes", new RecoveryCodesPageModel(codes));
    }

    [HttpPost("security/disable"), Authorize]
    public async Task<IActionResult> Disable()
    {
        var user = await CurrentUserAsync();
        if (IsRequiredFor(User))
        {
            ModelState.AddModelError("", "Two-factor sign-in is required for administrators and facilitators, so it cannot be turned off. Set up a new phone instead with “Reset the authenticator key”.");
            return View("Index", new SecurityPageModel(user.Email ?? "", await users.GetTwoFactorEnabledAsync(user),
                await users.CountRecoveryCodesAsync(user), true, true));
        }
        if (!await users.GetTwoFactorEnabledAsync(user)) return RedirectToAction(nameof(Index));
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} turned off two-factor sign-in", user.Id);
        TempData["Status"] = "Two-factor sign-in is off.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>A new key for a new phone: the old app stops working and the new one must be confirmed with a code.</summary>
    [HttpPost("security/reset-key"), Authorize]
    public async Task<IActionResult> ResetKey()
    {
        var user = await CurrentUserAsync();
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} reset the authenticator key", user.Id);
        TempData["Status"] = "The old authenticator key no longer works. Add the new key to your app and confirm it with a code.";
        return RedirectToAction(nameof(Authenticator));
    }

    private async Task<AuthenticatorPageModel> BuildAuthenticatorAsync(AppUser user, EnableAuthenticatorForm form)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
            await signIn.RefreshSignInAsync(user);
        }
        var uri = AuthenticatorUri(user.Email ?? user.UserName ?? "", key);
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(qr).GetGraphic(5);
        return new AuthenticatorPageModel(FormatKey(key), uri, "data:image/png;base64," + Convert.ToBase64String(png), IsRequiredFor(User), form);
    }

    public static string AuthenticatorUri(string email, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6");

    private static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) result.Append(' ');
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return result.ToString().ToLowerInvariant();
    }

    private bool IsRequiredFor(ClaimsPrincipal user) => options.CurrentValue.RequireTwoFactorForStaff && StaffTwoFactorMiddleware.IsStaff(user);

    private async Task<AppUser> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in account no longer exists.");

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
