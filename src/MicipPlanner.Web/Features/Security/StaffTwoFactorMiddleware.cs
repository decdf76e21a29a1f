using System.Security.Claims;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Security;

/// <summary>
/// With <c>Security:RequireTwoFactorForStaff</c> on, an administrator or facilitator who signed in
/// without a second factor is sent to set up the authenticator app before anything else.
/// </summary>
public sealed class StaffTwoFactorMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options, LinkGenerator links)
{
    /// <summary>The claim Identity adds when a sign-in used a second factor.</summary>
    public const string MfaMethod = "mfa";

    private static readonly string[] AlwaysReachable = ["/account/security", "/account/sign-out", "/error", "/healthz"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (options.CurrentValue.RequireTwoFactorForStaff && MustSetUpTwoFactor(context.User)
            && !AlwaysReachable.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Redirect(links.GetPathByAction(context, nameof(TwoFactorController.Authenticator), "TwoFactor")!);
            return;
        }
        await next(context);
    }

    public static bool IsStaff(ClaimsPrincipal user) => user.IsInRole(AppRoles.Admin) || user.IsInRole(AppRoles.Facilitator);

    /// <summary>Staff whose current sign-in did not use a second factor (so their account has none).</summary>
    public static bool MustSetUpTwoFactor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && IsStaff(user) && !user.HasClaim("amr", MfaMethod);
}
