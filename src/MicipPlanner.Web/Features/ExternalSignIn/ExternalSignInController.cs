using System.Security.Claims;
using MicipPlanner.Domain.Accounts;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Account;
using MicipPlanner.Web.Features.Districts;
using MicipPlanner.Web.Features.Invitations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.ExternalSignIn;

public sealed record RefusedPage(string Title, string Message, string? Email);

public sealed record RemoveLoginPage(string Provider, string ProviderName, bool CanRemove);

/// <summary>
/// Sign-in through Microsoft Entra ID, Google or another OpenID Connect provider: the account is found by the
/// login linked before, else by the provider's verified e-mail address (linking the login to it), else a pending
/// invitation to that address is accepted. Also linking and unlinking logins under Sign-in security.
/// </summary>
[Route("account")]
public sealed class ExternalSignInController(SignInManager<AppUser> signIn, UserManager<AppUser> users, AppDbContext db,
    ExternalProviders providers, SignInPolicyService policy, InvitationJoiner joiner, TimeProvider clock,
    ILogger<ExternalSignInController> logger) : Controller
{

    /// <summary>A POST (with the antiforgery token), so another site cannot start a sign-in in the person's browser.</summary>
    [HttpPost("sign-in/external"), AllowAnonymous]
    public IActionResult Start(string? provider, string? returnUrl)
    {
        if (providers.Find(provider) is not { } chosen) return NotFound();
        var callback = Url.Action(nameof(Callback), new { returnUrl = IsLocal(returnUrl) ? returnUrl : null });
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(chosen.Scheme, callback), chosen.Scheme);
    }

    [HttpGet("sign-in/external/callback"), AllowAnonymous]
    public async Task<IActionResult> Callback(string? returnUrl)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        // The external cookie serves this one request; whatever happens next, it goes.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (info is null) return RedirectToAction(nameof(AccountController.SignIn), "Account", new { external = "failed" });
        var identity = IdentityOf(info);
        var providerName = providers.NameOf(info.LoginProvider);

        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (user is null)
        {
            if (identity.VerifiedEmail is not { } email)
            {
                logger.LogWarning("External sign-in through {Provider} refused: no verified e-mail address", info.LoginProvider);
                return Refused("Your e-mail address was not confirmed",
                    $"{providerName} did not confirm that the e-mail address belongs to you, so MICIP Planner cannot tell which account is yours. "
                    + "Sign in with your password, or ask your IT staff to have the provider vouch for your address.", identity.Email);
            }
            user = await users.FindByEmailAsync(email);
            if (user is null) return await JoinByInvitationAsync(info, identity, email);
            if (await policy.RefusalAsync(user, info.LoginProvider, email) is { } refusal) return PolicyRefused(refusal, email);
            var linked = await users.AddLoginAsync(user, info);
            if (!linked.Succeeded) throw new InvalidOperationException("The login could not be linked: " + string.Join(" ", linked.Errors.Select(e => e.Code)));
            logger.LogInformation("User {UserId} linked a login through {Provider} by verified e-mail address", user.Id, info.LoginProvider);
        }
        return await SignInAsync(user, info, identity, returnUrl);
    }

    private async Task<IActionResult> SignInAsync(AppUser user, ExternalLoginInfo info, ExternalIdentity identity, string? returnUrl)
    {
        if (await policy.RefusalAsync(user, info.LoginProvider, identity.VerifiedEmail ?? user.Email ?? "") is { } refusal)
            return PolicyRefused(refusal, user.Email);
        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
            return Refused("This account is locked", "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask your administrator.", user.Email);

        if (identity.MultiFactor)
        {
            // The provider asserts a second factor (amr contains "mfa"): that meets the two-factor rule, as the app's own code would.
            await signIn.SignInWithClaimsAsync(user, isPersistent: false,
                [new Claim("amr", Security.StaffTwoFactorMiddleware.MfaMethod), new Claim(ClaimTypes.AuthenticationMethod, info.LoginProvider)]);
        }
        else
        {
            // Without it, a person with two-factor sign-in on is asked for the app's own code next.
            var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
            if (result.RequiresTwoFactor)
                return RedirectToAction(nameof(Security.TwoFactorController.SignInCode), "TwoFactor", new { returnUrl = SafeReturnUrl(returnUrl), rememberMe = "false" });
            if (!result.Succeeded)
                return Refused("This account is locked", "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask your administrator.", user.Email);
        }
        logger.LogInformation("User {UserId} signed in through {Provider}; multi-factor asserted: {Mfa}", user.Id, info.LoginProvider, identity.MultiFactor);
        return LocalRedirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>No account has the address: a pending invitation to it is accepted and the account made without a password.</summary>
    private async Task<IActionResult> JoinByInvitationAsync(ExternalLoginInfo info, ExternalIdentity identity, string email)
    {
        var now = clock.GetUtcNow();
        var normalized = email.ToUpperInvariant();
        var invitations = (await db.Invitations.Where(i => i.AcceptedAt == null && i.Email.ToUpper() == normalized).ToListAsync())
            .Where(i => i.StateAt(now) == InvitationState.Pending)
            .OrderBy(i => i.CreatedAt).ToList();
        if (invitations.Count == 0)
        {
            logger.LogWarning("External sign-in through {Provider} refused: no account or invitation for the address", info.LoginProvider);
            return Refused("You have no MICIP Planner account yet",
                "There is no account or pending invitation for your address. Ask your district’s key leader to invite you; "
                + $"then sign in with {providers.NameOf(info.LoginProvider)} again.", email);
        }
        foreach (var invitation in invitations)
            if (await policy.RefusalForDistrictAsync(invitation.DistrictId, info.LoginProvider, email) is { } refusal)
                return PolicyRefused(refusal, email);

        var first = invitations[0];
        var displayName = FormText.Clean(string.IsNullOrWhiteSpace(first.DisplayName) ? identity.Name ?? "" : first.DisplayName);
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = displayName.Length is > 0 and <= TextLimits.Name ? displayName : email, CreatedAt = now,
        };
        var notes = new List<string>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            try
            {
                var created = await users.CreateAsync(user);
                if (!created.Succeeded) throw new InvalidOperationException("The account could not be created: " + string.Join(" ", created.Errors.Select(e => e.Code)));
                var linked = await users.AddLoginAsync(user, info);
                if (!linked.Succeeded) throw new InvalidOperationException("The login could not be linked: " + string.Join(" ", linked.Errors.Select(e => e.Code)));
                foreach (var invitation in invitations)
                    if (await joiner.JoinAsync(invitation, user) is { } note) notes.Add(note);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            catch (Exception ex) when (ex is DbUpdateConcurrencyException or DomainRuleException)
            {
                await transaction.RollbackAsync();
                return Refused("This invitation has already been used", "The invitation was used a moment ago. Sign in again.", email);
            }
        }
        logger.LogInformation("User {UserId} accepted {Count} invitation(s) through {Provider}", user.Id, invitations.Count, info.LoginProvider);
        var result = await SignInAsync(user, info, identity, Url.Action(nameof(DistrictsController.Show), "Districts", new { districtId = first.DistrictId }));
        TempData["Status"] = "Welcome! You joined as " + await InvitationDescriptionAsync(first) + "." + (notes.Count > 0 ? " " + string.Join(" ", notes) : "");
        return result;
    }

    private async Task<string> InvitationDescriptionAsync(Invitation invitation)
    {
        var districtName = await db.Districts.Where(d => d.Id == invitation.DistrictId).Select(d => d.Name).SingleAsync();
        return await Organisation.InvitationService.DescribeAsync(db, invitation, districtName);
    }

    // ---- Linked logins on the Sign-in security page ----------------------------------------------

    [HttpPost("security/logins/link"), Authorize]
    public IActionResult Link(string? provider)
    {
        if (providers.Find(provider) is not { } chosen) return NotFound();
        var userId = users.GetUserId(User)!;
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(chosen.Scheme, Url.Action(nameof(Linked)), userId), chosen.Scheme);
    }

    [HttpGet("security/logins/linked"), Authorize]
    public async Task<IActionResult> Linked()
    {
        var user = await CurrentUserAsync();
        var info = await signIn.GetExternalLoginInfoAsync(user.Id);
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (info is null) return Done("Linking did not complete. Try again.", error: true);
        var providerName = providers.NameOf(info.LoginProvider);
        var identity = IdentityOf(info);
        var owner = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (owner?.Id == user.Id) return Done($"Your {providerName} account was already linked.");
        if (owner is not null) return Done($"That {providerName} account is linked to another MICIP Planner account.", error: true);
        if (!EmailAddresses.SameAddress(identity.VerifiedEmail, user.Email))
            return Done($"{providerName} must confirm your own address ({user.Email}) to link it. The account you chose has another or an unconfirmed address.", error: true);
        if (await users.GetLoginsAsync(user) is var logins && logins.Any(l => l.LoginProvider == info.LoginProvider))
            return Done($"Another {providerName} account is already linked. Unlink it first.", error: true);
        var added = await users.AddLoginAsync(user, info);
        if (!added.Succeeded) return Done("Linking did not complete. Try again.", error: true);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} linked a login through {Provider}", user.Id, info.LoginProvider);
        return Done($"Your {providerName} account is linked: you can now sign in with it.");
    }

    [HttpGet("security/logins/remove"), Authorize]
    public async Task<IActionResult> Remove(string? provider)
    {
        var user = await CurrentUserAsync();
        if ((await users.GetLoginsAsync(user)).FirstOrDefault(l => l.LoginProvider == provider) is not { } login) return NotFound();
        return View("Remove", new RemoveLoginPage(login.LoginProvider, providers.NameOf(login.LoginProvider), await CanRemoveAsync(user)));
    }

    [HttpPost("security/logins/remove"), Authorize]
    public async Task<IActionResult> RemoveConfirmed(string? provider)
    {
        var user = await CurrentUserAsync();
        if ((await users.GetLoginsAsync(user)).FirstOrDefault(l => l.LoginProvider == provider) is not { } login) return NotFound();
        if (!await CanRemoveAsync(user))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Remove", new RemoveLoginPage(login.LoginProvider, providers.NameOf(login.LoginProvider), CanRemove: false));
        }
        var removed = await users.RemoveLoginAsync(user, login.LoginProvider, login.ProviderKey);
        if (!removed.Succeeded) return Done("The login could not be unlinked. Try again.", error: true);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} unlinked the login through {Provider}", user.Id, login.LoginProvider);
        return Done($"Your {providers.NameOf(login.LoginProvider)} account is no longer linked.");
    }

    /// <summary>Never the last way in: another linked login, or a password the person may use, must remain.</summary>
    private async Task<bool> CanRemoveAsync(AppUser user) =>
        SignInRecovery.CanRemoveLogin((await users.GetLoginsAsync(user)).Count, await policy.HasUsablePasswordAsync(user));

    private IActionResult Done(string message, bool error = false)
    {
        TempData[error ? "Error" : "Status"] = message;
        return RedirectToAction(nameof(Security.TwoFactorController.Index), "TwoFactor");
    }

    private static ExternalIdentity IdentityOf(ExternalLoginInfo info) =>
        ExternalIdentity.FromClaims(info.LoginProvider, info.Principal.Claims.Select(c => KeyValuePair.Create(c.Type, c.Value)));

    private IActionResult PolicyRefused(string refusal, string? email)
    {
        logger.LogWarning("External sign-in refused by a district's sign-in rules");
        return Refused("Sign-in not allowed this way", refusal, email);
    }

    private IActionResult Refused(string title, string message, string? email)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("Refused", new RefusedPage(title, message, email));
    }

    private async Task<AppUser> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in account no longer exists.");

    private bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url);

    private string SafeReturnUrl(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";
}
