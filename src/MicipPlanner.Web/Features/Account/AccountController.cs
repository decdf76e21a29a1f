using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Account;

[Route("account")]
public sealed class AccountController(SignInManager<AppUser> signIn, UserManager<AppUser> users, AppDbContext db) : Controller
{
    [HttpGet("sign-in"), AllowAnonymous]
    public async Task<IActionResult> SignIn(string? returnUrl)
    {
        if (!await db.Users.AnyAsync()) return RedirectToAction(nameof(Setup));
        return View(new SignInForm { ReturnUrl = returnUrl });
    }

    [HttpPost("sign-in"), AllowAnonymous]
    public async Task<IActionResult> SignIn(SignInForm form, [FromServices] ExternalSignIn.SignInPolicyService signInPolicy)
    {
        if (!ModelState.IsValid) return View(form);
        // A district (or the server, for staff) may allow only sign-in providers: say so, but only to someone who knows the password.
        if (await users.FindByEmailAsync(form.Email.Trim()) is { } account
            && await signInPolicy.RefusalAsync(account, Domain.Accounts.SignInMethods.Password, account.Email ?? "") is { } refusal)
        {
            var check = await signIn.CheckPasswordSignInAsync(account, form.Password, lockoutOnFailure: true);
            ModelState.AddModelError("", check.Succeeded ? refusal + " Use the button above."
                : check.IsLockedOut ? "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask your administrator."
                : "The e-mail address or password is not right.");
            form.Password = "";
            return View(form);
        }
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        if (result.RequiresTwoFactor)
            return RedirectToAction(nameof(Security.TwoFactorController.SignInCode), "TwoFactor",
                new { returnUrl = SafeReturnUrl(form.ReturnUrl), rememberMe = form.RememberMe ? "true" : "false" });
        ModelState.AddModelError("", result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask your administrator."
            : "The e-mail address or password is not right.");
        form.Password = "";
        return View(form);
    }

    [HttpPost("sign-out")]
    public async Task<IActionResult> SignOutPost()
    {
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(SignIn));
    }

    [HttpGet("access-denied"), AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("Error", new Errors.ErrorViewModel(403, HttpContext.TraceIdentifier));
    }

    /// <summary>First run on a new server: create the administrator, only while no account exists.</summary>
    [HttpGet("/setup"), AllowAnonymous]
    public async Task<IActionResult> Setup()
    {
        if (await db.Users.AnyAsync()) return NotFound();
        return View(new SetupForm());
    }

    [HttpPost("/setup"), AllowAnonymous]
    public async Task<IActionResult> Setup(SetupForm form)
    {
        if (await db.Users.AnyAsync()) return NotFound();
        if (!ModelState.IsValid) return View(form);
        var result = await AdminCommand.CreateAsync(users, form.Email.Trim(), form.DisplayName.Trim(), form.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code.Contains("Password") ? nameof(SetupForm.Password) : "", error.Description);
            return View(form);
        }
        var user = await users.FindByEmailAsync(form.Email.Trim());
        await signIn.SignInAsync(user!, isPersistent: false);
        TempData["Status"] = "Your administrator account is ready. Create the first district.";
        return RedirectToAction(nameof(Home.HomeController.Index), "Home");
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
