using System.Security.Cryptography;
using System.Text;

namespace MicipPlanner.Domain.Organisation;

/// <summary>
/// The secret in an invitation link. Only its SHA-256 hash is stored, so a copy of the database
/// does not let anyone accept an invitation.
/// </summary>
public static class InvitationTokens
{
    public const int Length = 43;

    /// <summary>256 random bits, URL-safe base64 without padding.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of the token (64 characters).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check before any database lookup.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
