using MicipPlanner.Domain.Accounts;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.ExternalSignIn;

/// <summary>
/// Who may sign in which way: the districts' restrictions (domains, methods) for their team members, and the
/// server's <c>Authentication:DisableLocalPasswordsForStaff</c> for administrators and facilitators.
/// Checked at every sign-in, before the person gets a session.
/// </summary>
public sealed class SignInPolicyService(AppDbContext db, UserManager<AppUser> users, ExternalProviders providers)
{
    /// <summary>Null when <paramref name="user"/> may sign in with <paramref name="method"/> using <paramref name="email"/>; else why not.</summary>
    public async Task<string?> RefusalAsync(AppUser user, string method, string email, CancellationToken cancellationToken = default)
    {
        if (method == SignInMethods.Password && providers.LocalPasswordsDisabledForStaff
            && (await users.IsInRoleAsync(user, AppRoles.Admin) || await users.IsInRoleAsync(user, AppRoles.Facilitator)))
            return $"Administrators and facilitators sign in with {string.Join(" or ", providers.All.Select(p => p.DisplayName))} on this server.";

        var districtIds = db.TeamMemberships.Where(m => m.UserId == user.Id).Select(m => m.DistrictId);
        var districts = await db.Districts.AsNoTracking().Where(d => districtIds.Contains(d.Id)).OrderBy(d => d.Name)
            .Select(d => new { d.Name, d.SignInEmailDomains, d.SignInMethods }).ToListAsync(cancellationToken);
        foreach (var district in districts)
            if (Effective(district.SignInEmailDomains, district.SignInMethods).Refusal(method, email, district.Name, providers.NameOf) is { } refusal)
                return refusal;
        return null;
    }

    /// <summary>The same check for a person joining a district through an invitation.</summary>
    public async Task<string?> RefusalForDistrictAsync(int districtId, string method, string email, CancellationToken cancellationToken = default)
    {
        var district = await db.Districts.AsNoTracking().Where(d => d.Id == districtId)
            .Select(d => new { d.Name, d.SignInEmailDomains, d.SignInMethods }).SingleAsync(cancellationToken);
        return Effective(district.SignInEmailDomains, district.SignInMethods).Refusal(method, email, district.Name, providers.NameOf);
    }

    /// <summary>
    /// The stored rules, with methods no longer configured on this server left out (a provider removed from the
    /// settings must not lock a district out); if none is left, methods are not restricted.
    /// </summary>
    private SignInPolicy Effective(string domains, string methods)
    {
        var stored = SignInPolicy.FromStored(domains, methods);
        return stored with { Methods = stored.Methods.Where(m => m == SignInMethods.Password || providers.Find(m) is not null).ToList() };
    }

    /// <summary>A password counts as a way in only if the person has one and may use it.</summary>
    public async Task<bool> HasUsablePasswordAsync(AppUser user) =>
        await users.HasPasswordAsync(user) && await RefusalAsync(user, SignInMethods.Password, user.Email ?? "") is null;
}
