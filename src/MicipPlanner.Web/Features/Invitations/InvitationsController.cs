using System.Security.Claims;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Invitations;

public sealed record AcceptPage(string Email, string Offer, string DistrictName, string InviterName,
    DateTimeOffset ExpiresAt, TimeZoneInfo Zone, AcceptForm Form, string? SignedInAs);

public sealed record UnavailablePage(string Title, string Message);

/// <summary>
/// The invitation link: the invitee chooses a password (or signs in to an existing account) and joins
/// the team. A link works once and until it expires; anything else gets a page that says why.
/// </summary>
[Route("invitations")]
[AllowAnonymous]
public sealed class InvitationsController(AppDbContext db, UserManager<AppUser> users, SignInManager<AppUser> signIn, TimeProvider clock,
    IDataProtectionProvider dataProtection) : Controller
{
    // The token never travels in a URL path or query: those end up in request logs and log scopes.
    // The link carries it after "#" (never sent to the server); the open page posts it in the form body,
    // and it then rides in a short-lived, encrypted, HttpOnly cookie while the invitee accepts.
    private const string TokenCookie = "micip.invitation";

    /// <summary>The invitation link lands here: a script moves the code from the link's fragment into the form.</summary>
    [HttpGet("open")]
    public IActionResult Open() => View("Open", new OpenForm());

    [HttpPost("open")]
    public async Task<IActionResult> Open(OpenForm form)
    {
        var token = (form.Token ?? "").Trim();
        if (token.Length == 0)
        {
            ModelState.AddModelError(nameof(OpenForm.Token), "Paste the code from your invitation.");
            return View("Open", form);
        }
        var (_, problem) = await FindAsync(token);
        if (problem is not null) return problem;
        Response.Cookies.Append(TokenCookie, Protector.Protect(token), new CookieOptions
        {
            HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/invitations",
            MaxAge = TimeSpan.FromHours(2), IsEssential = true,
        });
        return RedirectToAction(nameof(Show));
    }

    [HttpGet("accept")]
    public async Task<IActionResult> Show()
    {
        var token = TokenFromCookie();
        var (invitation, problem) = await FindAsync(token);
        if (problem is not null) return problem;
        var mode = await ModeAsync(invitation!);
        return View("Show", await PageAsync(invitation!, new AcceptForm { Mode = mode, DisplayName = invitation!.DisplayName }));
    }

    [HttpPost("accept")]
    public async Task<IActionResult> Accept(AcceptForm form, [FromServices] ExternalSignIn.SignInPolicyService signInPolicy,
        [FromServices] InvitationJoiner joiner)
    {
        var token = TokenFromCookie();
        var (invitation, problem) = await FindAsync(token);
        if (problem is not null) return problem;
        form.Mode = await ModeAsync(invitation!);
        ModelState.Clear();
        TryValidateModel(form);
        if (form.Mode == AcceptMode.OtherAccount) return View("Show", await PageAsync(invitation!, form));
        // A district that allows only sign-in providers (or other addresses) is not joined with a password.
        if (form.Mode is AcceptMode.NewAccount or AcceptMode.SignIn
            && await signInPolicy.RefusalForDistrictAsync(invitation!.DistrictId, Domain.Accounts.SignInMethods.Password, invitation.Email) is { } refusal)
        {
            ModelState.AddModelError("", refusal + " Use its button on the sign-in page with the invited address; the invitation is accepted there.");
            form.Password = form.ConfirmPassword = "";
            return View("Show", await PageAsync(invitation, form));
        }

        AppUser? user;
        if (form.Mode == AcceptMode.NewAccount)
        {
            user = new AppUser
            {
                UserName = invitation!.Email, Email = invitation.Email, EmailConfirmed = true,
                DisplayName = FormText.Clean(form.DisplayName), CreatedAt = clock.GetUtcNow(),
            };
            if (ModelState.IsValid)
                foreach (var validator in users.PasswordValidators)
                {
                    var check = await validator.ValidateAsync(users, user, form.Password);
                    foreach (var error in check.Errors) ModelState.AddModelError(nameof(AcceptForm.Password), error.Description);
                }
        }
        else
        {
            user = await users.FindByEmailAsync(invitation!.Email);
            if (user is null) return RedirectToAction(nameof(Show));
            if (form.Mode == AcceptMode.SignIn && ModelState.IsValid)
            {
                var check = await signIn.CheckPasswordSignInAsync(user, form.Password, lockoutOnFailure: true);
                if (!check.Succeeded)
                    ModelState.AddModelError(nameof(AcceptForm.Password), check.IsLockedOut
                        ? "Too many failed attempts: this account is locked for 15 minutes."
                        : "The password is not right.");
            }
        }
        if (!ModelState.IsValid)
        {
            form.Password = form.ConfirmPassword = "";
            return View("Show", await PageAsync(invitation, form));
        }

        string? note;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            try
            {
                if (form.Mode == AcceptMode.NewAccount)
                {
                    var created = await users.CreateAsync(user, form.Password);
                    if (!created.Succeeded)
                    {
                        await transaction.RollbackAsync();
                        foreach (var error in created.Errors)
                            ModelState.AddModelError(error.Code.Contains("Password") ? nameof(AcceptForm.Password) : "", error.Description);
                        form.Password = form.ConfirmPassword = "";
                        return View("Show", await PageAsync(invitation, form));
                    }
                }
                note = await joiner.JoinAsync(invitation, user);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            catch (Exception ex) when (ex is DbUpdateConcurrencyException or DomainRuleException)
            {
                // Someone used the link a moment ago.
                await transaction.RollbackAsync();
                return Unavailable(StatusCodes.Status410Gone, "This invitation has already been used",
                    "The link works only once and has been used. Sign in with your account, or ask for a new invitation.");
            }
        }
        await signIn.SignInAsync(user, isPersistent: false);
        Response.Cookies.Delete(TokenCookie, new CookieOptions { Path = "/invitations" });
        var offer = await OfferAsync(invitation);
        TempData["Status"] = $"Welcome! You joined as {offer}." + (note is null ? "" : " " + note);
        return RedirectToAction(nameof(Districts.DistrictsController.Show), "Districts", new { districtId = invitation.DistrictId });
    }

    private IDataProtector Protector => dataProtection.CreateProtector("MicipPlanner.Invitations.Token");

    private string TokenFromCookie()
    {
        if (!Request.Cookies.TryGetValue(TokenCookie, out var protectedToken) || string.IsNullOrEmpty(protectedToken)) return "";
        try { return Protector.Unprotect(protectedToken); }
        catch (System.Security.Cryptography.CryptographicException) { return ""; }
    }

    private async Task<(Invitation? Invitation, IActionResult? Problem)> FindAsync(string token)
    {
        Invitation? invitation = null;
        if (InvitationTokens.IsWellFormed(token))
        {
            var hash = InvitationTokens.Hash(token);
            invitation = await db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash);
        }
        if (invitation is null)
            return (null, Unavailable(StatusCodes.Status404NotFound, "This invitation link is not valid",
                "The link or code may be incomplete, or the invitation was revoked. Open the whole link from your invitation again, or ask the person who invited you for a new invitation."));
        return invitation.StateAt(clock.GetUtcNow()) switch
        {
            InvitationState.Accepted => (null, Unavailable(StatusCodes.Status410Gone, "This invitation has already been used",
                "The link works only once and has been used. Sign in with your account, or ask for a new invitation.")),
            InvitationState.Expired => (null, Unavailable(StatusCodes.Status410Gone, "This invitation has expired",
                $"Invitation links work for {Invitation.Lifetime.Days} days. Ask the person who invited you for a new invitation.")),
            _ => (invitation, null),
        };
    }

    private IActionResult Unavailable(int status, string title, string message)
    {
        Response.StatusCode = status;
        return View("Unavailable", new UnavailablePage(title, message));
    }

    private async Task<AcceptMode> ModeAsync(Invitation invitation)
    {
        var existing = await users.FindByEmailAsync(invitation.Email);
        var signedInId = User.Identity?.IsAuthenticated == true ? User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        if (signedInId is not null) return existing?.Id == signedInId ? AcceptMode.SignedIn : AcceptMode.OtherAccount;
        return existing is null ? AcceptMode.NewAccount : AcceptMode.SignIn;
    }

    private async Task<string> OfferAsync(Invitation invitation)
    {
        var districtName = await db.Districts.Where(d => d.Id == invitation.DistrictId).Select(d => d.Name).SingleAsync();
        return await InvitationService.DescribeAsync(db, invitation, districtName);
    }

    private async Task<AcceptPage> PageAsync(Invitation invitation, AcceptForm form)
    {
        var district = await db.Districts.Where(d => d.Id == invitation.DistrictId).Select(d => new { d.Name, d.TimeZoneId }).SingleAsync();
        var inviter = await db.Users.DisplayNameAsync(invitation.InvitedByUserId) ?? "Your district";
        var offer = await InvitationService.DescribeAsync(db, invitation, district.Name);
        return new AcceptPage(invitation.Email, offer, district.Name, inviter, invitation.ExpiresAt, TimeZones.Find(district.TimeZoneId), form,
            User.Identity?.IsAuthenticated == true ? User.Identity.Name : null);
    }
}
