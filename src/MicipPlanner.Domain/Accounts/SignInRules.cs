using System.Net.Mail;

namespace MicipPlanner.Domain.Accounts;

/// <summary>Ways into the app: the local password, or one of the configured OpenID Connect providers (by scheme name).</summary>
public static class SignInMethods
{
    public const string Password = "Password";
    public const string Microsoft = "Microsoft";
    public const string Google = "Google";
    public const string Oidc = "Oidc";

    /// <summary>Every method in the order screens list them.</summary>
    public static readonly string[] All = [Password, Microsoft, Google, Oidc];

    public static bool IsKnown(string? method) => method is not null && All.Contains(method, StringComparer.Ordinal);
}

/// <summary>
/// A district's restriction on how its people sign in: a set of e-mail domains and/or a set of methods.
/// An empty set means "no restriction" on that side.
/// </summary>
public sealed record SignInPolicy(IReadOnlyList<string> EmailDomains, IReadOnlyList<string> Methods)
{
    public const int MaxDomainsLength = 500;
    public const int MaxMethodsLength = 100;

    public static readonly SignInPolicy None = new([], []);

    public bool RestrictsDomains => EmailDomains.Count > 0;
    public bool RestrictsMethods => Methods.Count > 0;

    /// <summary>Reads the stored form: comma-separated lists (domains lower case, without "@").</summary>
    public static SignInPolicy FromStored(string? domains, string? methods) =>
        new(ParseDomains(domains ?? "").Domains, SplitList(methods ?? "").Where(SignInMethods.IsKnown).Distinct().ToList());

    public string StoredDomains => string.Join(",", EmailDomains);
    public string StoredMethods => string.Join(",", Methods);

    /// <summary>
    /// Domains typed by a person ("@lakeshore.k12.mi.us, lakeshore.org" or one per line): normalised, and
    /// the entries that are not domain names.
    /// </summary>
    public static (IReadOnlyList<string> Domains, IReadOnlyList<string> Invalid) ParseDomains(string text)
    {
        var domains = new List<string>();
        var invalid = new List<string>();
        foreach (var entry in SplitList(text))
        {
            var domain = entry.TrimStart('@').ToLowerInvariant();
            if (IsDomainName(domain)) { if (!domains.Contains(domain)) domains.Add(domain); }
            else invalid.Add(entry);
        }
        return (domains, invalid);
    }

    /// <summary>Null when the policy lets this address sign in this way, else the reason.</summary>
    public string? Refusal(string method, string email, string districtName, Func<string, string>? nameOf = null)
    {
        if (RestrictsMethods && !Methods.Contains(method, StringComparer.Ordinal))
            return $"{districtName} asks its people to sign in with {string.Join(" or ", Methods.Select(nameOf ?? SignInText.MethodName))}.";
        if (RestrictsDomains && !EmailDomains.Contains(EmailAddresses.DomainOf(email)))
            return $"{districtName} lets its people sign in only with an address at {string.Join(" or ", EmailDomains.Select(d => "@" + d))}.";
        return null;
    }

    private static IEnumerable<string> SplitList(string text) =>
        text.Split([',', ';', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsDomainName(string domain)
    {
        if (domain.Length is < 3 or > 253 || !domain.Contains('.')) return false;
        var labels = domain.Split('.');
        return labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
            && l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
    }
}

public static class SignInText
{
    /// <summary>How a method is named in sentences when the provider has no display name of its own.</summary>
    public static string MethodName(string method) => method switch
    {
        SignInMethods.Password => "a password",
        SignInMethods.Microsoft => "Microsoft",
        SignInMethods.Google => "Google",
        SignInMethods.Oidc => "the organisation's sign-in",
        _ => method,
    };
}

public static class EmailAddresses
{
    /// <summary>The part after "@", lower case ("" when there is none).</summary>
    public static string DomainOf(string email)
    {
        var at = email.LastIndexOf('@');
        return at < 0 ? "" : email[(at + 1)..].Trim().ToLowerInvariant();
    }

    public static bool SameAddress(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool IsValid(string? email) => email is { Length: > 2 and <= 256 } && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
}

/// <summary>What an OpenID Connect provider asserted about the person, read from the id token's claims.</summary>
public sealed record ExternalIdentity(string Provider, string Subject, string? Email, bool EmailVerified, bool MultiFactor, string? Name)
{
    /// <summary>
    /// The e-mail address only when the provider vouches for it: <c>email_verified</c> true (Google, most
    /// issuers) or, for Microsoft Entra ID, <c>xms_edov</c> true (the domain of the address is verified by
    /// the tenant that owns it). Anything else is never used to find or link an account.
    /// </summary>
    public string? VerifiedEmail => EmailVerified && EmailAddresses.IsValid(Email) ? Email : null;

    public static ExternalIdentity FromClaims(string provider, IEnumerable<KeyValuePair<string, string>> claims)
    {
        var list = claims.ToList();
        string? First(string type) => list.Where(c => c.Key == type).Select(c => c.Value).FirstOrDefault();
        static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        var verified = IsTrue(First("email_verified")) || IsTrue(First("xms_edov"));
        // amr is a JSON array in the token; it arrives as one claim per value (or, from some issuers, as one JSON text).
        var mfa = list.Where(c => c.Key == "amr").Any(c => c.Value == "mfa" || c.Value.Contains("\"mfa\"", StringComparison.Ordinal));
        var subject = First("sub") ?? "";
        return new ExternalIdentity(provider, subject, First("email")?.Trim(), verified, mfa, First("name"));
    }
}

/// <summary>The rule that keeps a person from locking themselves out when removing a sign-in method.</summary>
public static class SignInRecovery
{
    /// <summary>
    /// A linked login may be removed only while another way in remains: another linked login, or a password
    /// the person may still use.
    /// </summary>
    public static bool CanRemoveLogin(int linkedLogins, bool hasUsablePassword) => linkedLogins > 1 || hasUsablePassword;
}
