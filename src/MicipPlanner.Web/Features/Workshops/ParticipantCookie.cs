using System.Security.Claims;
using MicipPlanner.Web.Features.Security;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// The participant's cookie: its own authentication scheme, never the default one, and sent by the browser only to
/// /join addresses. Every other route of the app sees a participant as anonymous.
/// </summary>
public static class ParticipantCookie
{
    public const string Scheme = "WorkshopParticipant";
    public const string ParticipantClaim = "micip:workshop-participant";
    public const string WorkshopClaim = "micip:workshop";

    public static void AddWorkshops(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<WorkshopOptions>(builder.Configuration.GetSection(WorkshopOptions.Section));
        services.AddSingleton<JoinGuard>();
        var secure = SecurityOptions.HttpsRequired(builder.Configuration, builder.Environment) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "micip.workshop";
            cookie.Cookie.Path = "/join";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = secure;
            cookie.SlidingExpiration = false;
            // Never redirect anywhere by itself: the join controller decides what a missing or stale seat answers.
            cookie.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        });
    }

    public static ClaimsPrincipal Principal(int participantId, int workshopId) => new(new ClaimsIdentity(
        [new Claim(ParticipantClaim, participantId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         new Claim(WorkshopClaim, workshopId.ToString(System.Globalization.CultureInfo.InvariantCulture))], Scheme));
}
