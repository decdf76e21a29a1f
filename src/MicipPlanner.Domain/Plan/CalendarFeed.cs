using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;

namespace MicipPlanner.Domain.Plan;

/// <summary>
/// A person's calendar subscription: the due dates of the activities they own, under a secret address. Only the hash
/// of the address's token is kept, so a copy of the database gives no working address (ADR 19). A person has at most
/// one active feed; revoking it (or making a new one) ends the old address at once.
/// </summary>
public class CalendarFeed : Entity
{
    public string UserId { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the token (<see cref="CalendarFeedTokens.Hash"/>).</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}

/// <summary>The secret in a calendar feed's address: the same strength and shape as an invitation's token.</summary>
public static class CalendarFeedTokens
{
    public const int Length = InvitationTokens.Length;

    /// <summary>256 random bits from the system's cryptographic generator, URL-safe base64 without padding.</summary>
    public static string NewToken() => InvitationTokens.NewToken();

    public static string Hash(string token) => InvitationTokens.Hash(token);

    public static bool IsWellFormed(string? token) => InvitationTokens.IsWellFormed(token);
}
