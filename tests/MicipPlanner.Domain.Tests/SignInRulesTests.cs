using MicipPlanner.Domain.Accounts;

namespace MicipPlanner.Domain.Tests;

public sealed class SignInRulesTests
{
    private static ExternalIdentity From(params (string Type, string Value)[] claims) =>
        ExternalIdentity.FromClaims("Oidc", claims.Select(c => KeyValuePair.Create(c.Type, c.Value)));

    [Fact]
    public void Email_counts_as_verified_only_when_the_provider_vouches_for_it()
    {
        Assert.Equal("a@lakeshore.k12.mi.us", From(("sub", "1"), ("email", "a@lakeshore.k12.mi.us"), ("email_verified", "true")).VerifiedEmail);
        Assert.Equal("a@lakeshore.k12.mi.us", From(("sub", "1"), ("email", "a@lakeshore.k12.mi.us"), ("email_verified", "True")).VerifiedEmail);
        // Microsoft Entra ID: the tenant owns the address's domain.
        Assert.Equal("a@lakeshore.k12.mi.us", From(("sub", "1"), ("email", "a@lakeshore.k12.mi.us"), ("xms_edov", "true")).VerifiedEmail);
        Assert.Null(From(("sub", "1"), ("email", "a@lakeshore.k12.mi.us"), ("email_verified", "false")).VerifiedEmail);
        Assert.Null(From(("sub", "1"), ("email", "a@lakeshore.k12.mi.us")).VerifiedEmail);
        Assert.Null(From(("sub", "1"), ("email", "not an address"), ("email_verified", "true")).VerifiedEmail);
    }

    [Fact]
    public void Multi_factor_is_read_from_amr()
    {
        Assert.True(From(("amr", "pwd"), ("amr", "mfa")).MultiFactor);
        Assert.True(From(("amr", "[\"pwd\",\"mfa\"]")).MultiFactor);
        Assert.False(From(("amr", "pwd")).MultiFactor);
        Assert.False(From(("acr", "mfa")).MultiFactor);
    }

    [Fact]
    public void Domains_are_normalised_and_bad_entries_reported()
    {
        var (domains, invalid) = SignInPolicy.ParseDomains("@Lakeshore.K12.MI.us, lakeshore.org\nlakeshore.org; not a domain!, -bad.org");
        Assert.Equal(["lakeshore.k12.mi.us", "lakeshore.org"], domains);
        Assert.Equal(["not", "a", "domain!", "-bad.org"], invalid);
    }

    [Fact]
    public void Policy_refuses_other_domains_and_methods_and_names_what_is_allowed()
    {
        var policy = SignInPolicy.FromStored("lakeshore.k12.mi.us", "Microsoft");
        Assert.Null(policy.Refusal(SignInMethods.Microsoft, "Kim@Lakeshore.k12.mi.us", "Lakeshore"));
        Assert.Contains("@lakeshore.k12.mi.us", policy.Refusal(SignInMethods.Microsoft, "kim@gmail.com", "Lakeshore"));
        Assert.Equal("Lakeshore asks its people to sign in with Microsoft.", policy.Refusal(SignInMethods.Password, "kim@lakeshore.k12.mi.us", "Lakeshore"));
        Assert.Null(SignInPolicy.None.Refusal(SignInMethods.Password, "anyone@anywhere.org", "Lakeshore"));
        // Unknown stored methods are dropped rather than locking everyone out.
        Assert.False(SignInPolicy.FromStored("", "Fax").RestrictsMethods);
    }

    [Fact]
    public void The_last_way_in_cannot_be_removed()
    {
        Assert.False(SignInRecovery.CanRemoveLogin(linkedLogins: 1, hasUsablePassword: false));
        Assert.True(SignInRecovery.CanRemoveLogin(linkedLogins: 1, hasUsablePassword: true));
        Assert.True(SignInRecovery.CanRemoveLogin(linkedLogins: 2, hasUsablePassword: false));
    }
}
