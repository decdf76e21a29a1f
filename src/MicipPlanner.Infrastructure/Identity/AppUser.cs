using Microsoft.AspNetCore.Identity;

namespace MicipPlanner.Infrastructure.Identity;

/// <summary>A person with an account. The e-mail address is also the user name.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The person turned the daily reminder digest off (it is on unless they do).</summary>
    public bool DailyDigestOff { get; set; }
}

/// <summary>Application-wide roles; everything else follows from team membership and facilitator assignment.</summary>
public static class AppRoles
{
    public const string Admin = "Admin";
    public const string Facilitator = "Facilitator";
    public static readonly string[] All = [Admin, Facilitator];
}
