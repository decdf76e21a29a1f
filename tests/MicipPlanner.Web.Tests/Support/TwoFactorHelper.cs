using System.Net;
using System.Text.RegularExpressions;
using OtpNet;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Plays the authenticator app: reads the shared key from the setup page and computes the current code.</summary>
public static partial class TwoFactorHelper
{
    public static async Task<string> SharedKeyAsync(HttpClient client)
    {
        var html = await client.GetHtmlAsync("/account/security/authenticator");
        var match = KeyPattern().Match(html);
        if (!match.Success) throw new InvalidOperationException("No shared key on the authenticator page.");
        return match.Groups[1].Value.Replace(" ", "").ToUpperInvariant();
    }

    public static string Code(string sharedKey, DateTime? at = null) =>
        new Totp(Base32Encoding.ToBytes(sharedKey)).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>Turns two-factor sign-in on for the signed-in client; returns the key and the recovery codes shown.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnableAsync(HttpClient client)
    {
        var key = await SharedKeyAsync(client);
        var response = await client.PostFormAsync("/account/security/authenticator", new() { ["Code"] = Code(key) }, "/account/security/authenticator");
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !html.Contains("recovery-codes"))
            throw new InvalidOperationException($"Enabling two-factor failed: {(int)response.StatusCode}");
        var list = RecoveryListPattern().Match(html).Groups[1].Value;
        var codes = ItemPattern().Matches(list).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value.Trim())).ToList();
        return (key, codes);
    }

    [GeneratedRegex("id=\"shared-key\">([^<]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("recovery-codes\">(.*?)</ul>", RegexOptions.Singleline)]
    private static partial Regex RecoveryListPattern();

    [GeneratedRegex("<li>([^<]+)</li>")]
    private static partial Regex ItemPattern();
}
