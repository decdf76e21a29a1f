using FluentValidation;
using MicipPlanner.Domain.Accounts;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.ExternalSignIn;

/// <summary>A district's sign-in rules as typed: domains in free text, the chosen methods.</summary>
public sealed class SignInPolicyForm
{
    public string EmailDomains { get; set; } = "";
    public List<string> Methods { get; set; } = [];
    public Guid Version { get; set; }
}

public sealed class SignInPolicyFormValidator : AbstractValidator<SignInPolicyForm>
{
    public SignInPolicyFormValidator(ExternalProviders providers)
    {
        RuleFor(x => x.EmailDomains).Cascade(CascadeMode.Stop)
            .Must(v => (v ?? "").Length <= 2000).WithMessage("List at most a few dozen domains.")
            .Must(v => SignInPolicy.ParseDomains(v ?? "").Invalid.Count == 0)
            .WithMessage(form => $"“{SignInPolicy.ParseDomains(form.EmailDomains ?? "").Invalid.FirstOrDefault()}” is not a domain name. Write domains like lakeshore.k12.mi.us, separated by commas.")
            .Must(v => SignInPolicy.ParseDomains(v ?? "").Domains.Sum(d => d.Length + 1) <= SignInPolicy.MaxDomainsLength)
            .WithMessage($"The domains may take at most {SignInPolicy.MaxDomainsLength} characters together.");
        RuleFor(x => x.Methods).Must(methods => (methods ?? []).All(m => m == SignInMethods.Password || providers.Find(m) is not null))
            .WithMessage("Choose ways to sign in from the list.");
    }
}

public sealed record SignInPolicyPage(int DistrictId, string DistrictName, SignInPolicyForm Form, IReadOnlyList<ExternalProvider> Providers);

/// <summary>
/// The key leader (or the district's facilitator, or an administrator) restricts how the district's people sign in:
/// to e-mail domains and/or to sign-in providers.
/// </summary>
[Route("districts/{districtId:int}/sign-in-policy")]
public sealed class DistrictSignInController(DistrictPageServices services, ExternalProviders providers, UserManager<AppUser> users) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> Edit(int districtId)
    {
        var context = CurrentDistrict;
        var stored = await Db.Districts.Where(d => d.Id == districtId).Select(d => new { d.SignInEmailDomains, d.SignInMethods, d.Version }).SingleAsync();
        var current = SignInPolicy.FromStored(stored.SignInEmailDomains, stored.SignInMethods);
        var form = new SignInPolicyForm { EmailDomains = string.Join(", ", current.EmailDomains), Methods = [.. current.Methods], Version = stored.Version };
        return Page(context, form);
    }

    [HttpPost("")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> Save(int districtId, SignInPolicyForm form)
    {
        var context = CurrentDistrict;
        form.Methods = (form.Methods ?? []).Distinct().ToList();
        var chosen = new SignInPolicy(SignInPolicy.ParseDomains(form.EmailDomains ?? "").Domains,
            SignInMethods.All.Where(form.Methods.Contains).ToList());
        if (ModelState.IsValid && await SelfLockoutAsync(context, chosen) is { } problem) ModelState.AddModelError("", problem);
        if (!ModelState.IsValid) return Page(context, form);
        var district = await Db.Districts.SingleAsync(d => d.Id == districtId);
        Db.ShownAs(district, form.Version);
        district.SignInEmailDomains = chosen.StoredDomains;
        district.SignInMethods = chosen.StoredMethods;
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else changed this district while you were editing. Reload the page to see their changes, then make yours again."))
            return Page(context, form);
        TempData["Status"] = chosen.RestrictsDomains || chosen.RestrictsMethods
            ? "Sign-in rules saved. They apply from each person's next sign-in."
            : "Sign-in rules saved: the district's people may sign in any way the server offers.";
        return RedirectToAction(nameof(Organisation.OrganisationController.Index), "Organisation", new { districtId });
    }

    /// <summary>A key leader saving rules they themselves could no longer sign in under is stopped with the reason.</summary>
    private async Task<string?> SelfLockoutAsync(DistrictContext context, SignInPolicy chosen)
    {
        if (context.Permissions.Actor.DistrictTeamRole is null && context.Permissions.Actor.BuildingIds.Count == 0) return null;
        var user = await users.GetUserAsync(User);
        if (user is null) return null;
        var ways = (await users.GetLoginsAsync(user)).Select(l => l.LoginProvider).ToList();
        if (await users.HasPasswordAsync(user)) ways.Add(SignInMethods.Password);
        if (ways.Any(way => chosen.Refusal(way, user.Email ?? "", context.DistrictName) is null)) return null;
        var reason = chosen.Refusal(ways.FirstOrDefault() ?? SignInMethods.Password, user.Email ?? "", context.DistrictName, providers.NameOf);
        return $"You would no longer be able to sign in yourself: {reason} Link an allowed provider under Sign-in security first, or choose other rules.";
    }

    private ViewResult Page(DistrictContext context, SignInPolicyForm form)
    {
        return View("DistrictPolicy", new SignInPolicyPage(context.DistrictId, context.DistrictName, form, providers.All));
    }
}
