using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.ExternalSignIn;

public sealed record ExternalLoginsModel(string Email, IReadOnlyList<ExternalProvider> Linked, IReadOnlyList<ExternalProvider> Available, bool CanRemove);

/// <summary>The linked logins section of Sign-in security; nothing at all while no provider is configured or linked.</summary>
public sealed class ExternalLoginsViewComponent(UserManager<AppUser> users, ExternalProviders providers, SignInPolicyService policy) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = await users.GetUserAsync(UserClaimsPrincipal);
        if (user is null) return Content("");
        var logins = await users.GetLoginsAsync(user);
        if (logins.Count == 0 && !providers.Any) return Content("");
        var linked = logins.Select(l => providers.Find(l.LoginProvider) ?? new ExternalProvider(l.LoginProvider, l.ProviderDisplayName ?? l.LoginProvider)).ToList();
        var available = providers.All.Where(p => logins.All(l => l.LoginProvider != p.Scheme)).ToList();
        var canRemove = Domain.Accounts.SignInRecovery.CanRemoveLogin(logins.Count, await policy.HasUsablePasswordAsync(user));
        // By path: a view component's view is looked up in the feature of the page that shows it (Security), not its own.
        return View("~/Features/ExternalSignIn/_ExternalLogins.cshtml", new ExternalLoginsModel(user.Email ?? "", linked, available, canRemove));
    }
}
