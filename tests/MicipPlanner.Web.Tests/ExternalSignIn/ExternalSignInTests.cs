using System.Net;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.ExternalSignIn;

/// <summary>
/// Sign-in through a real OpenID Connect provider on loopback: the authorization code flow with PKCE driven over
/// HTTP, the provider's login form posted, its answer delivered to the app's callback.
/// </summary>
public sealed class ExternalSignInTests(OidcFactory factory, ITestOutputHelper output) : IClassFixture<OidcFactory>
{
    [Fact]
    public async Task Sign_in_page_offers_one_button_per_configured_provider()
    {
        var html = await factory.CreateBrowserClient().GetHtmlAsync("/account/sign-in");
        Assert.Contains($"Sign in with {OidcFactory.ProviderName}", html);
        // The provider's button posts its own form, which names the provider.
        var form = Html.Parse(html).Form("/account/sign-in/external");
        Assert.Equal("Oidc", form.Field("provider"));
        Assert.Equal($"Sign in with {OidcFactory.ProviderName}", form.Single("button[type=submit]").Text());
    }

    [Fact]
    public async Task Verified_email_links_the_login_to_the_existing_account_and_signs_in()
    {
        var email = $"linked-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email);
        var person = factory.Person(email, verified: true);
        var app = factory.CreateBrowserClient();

        var final = await OidcJourney.SignInAsync(app, person);

        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        Assert.Equal("/", final.Headers.Location!.OriginalString);
        var security = await app.GetHtmlAsync("/account/security");
        Assert.Contains(email, security);
        Assert.Contains($"{OidcFactory.ProviderName}</strong> is linked", security);
        var login = Assert.Single(await factory.LoginsOfAsync(email));
        Assert.Equal("Oidc", login.LoginProvider);
        Assert.Equal(person.Subject, login.ProviderKey);

        // The second time the linked login finds the account directly.
        var again = factory.CreateBrowserClient();
        Assert.Equal("/", (await OidcJourney.SignInAsync(again, person)).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/account/security")).StatusCode);
    }

    [Fact]
    public async Task Pending_invitation_is_accepted_through_the_provider_and_the_account_has_no_password()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (invitationId, _) = await DistrictRouteValues.NewInvitationAsync(factory, ids.Lakeshore);
        var email = await factory.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitationId).Select(i => i.Email).SingleAsync());
        var person = factory.Person(email.ToUpperInvariant(), verified: true);
        var app = factory.CreateBrowserClient();

        var final = await OidcJourney.SignInAsync(app, person);

        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        Assert.Equal($"/districts/{ids.Lakeshore}", final.Headers.Location!.OriginalString);
        var (passwordHash, membership, acceptedAt) = await factory.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email.ToUpperInvariant());
            var seat = await db.TeamMemberships.Where(m => m.UserId == user.Id).Select(m => new { m.DistrictId, m.Role }).SingleAsync();
            var accepted = await db.Invitations.Where(i => i.Id == invitationId).Select(i => i.AcceptedAt).SingleAsync();
            return (user.PasswordHash, seat, accepted);
        });
        Assert.Null(passwordHash);
        Assert.Equal(ids.Lakeshore, membership.DistrictId);
        Assert.Equal(TeamRole.BoardMember, membership.Role);
        Assert.NotNull(acceptedAt);
        var dashboard = await app.GetAsync($"/districts/{ids.Lakeshore}");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Contains("/cycles/", dashboard.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Unverified_email_is_never_used_to_link()
    {
        var email = $"unverified-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email);
        var person = factory.Person(email, verified: false);
        var app = factory.CreateBrowserClient();

        var final = await OidcJourney.SignInAsync(app, person);

        Assert.Equal(HttpStatusCode.Forbidden, final.StatusCode);
        Assert.Contains("was not confirmed", await final.Content.ReadAsStringAsync());
        Assert.Empty(await factory.LoginsOfAsync(email));
        Assert.Equal(HttpStatusCode.Redirect, (await app.GetAsync("/account/security")).StatusCode);
    }

    [Fact]
    public async Task Unknown_person_is_told_to_ask_for_an_invitation_and_no_account_is_created()
    {
        var usersBefore = await factory.WithDbAsync(db => db.Users.CountAsync());
        var person = factory.Person(verified: true);
        var app = factory.CreateBrowserClient();

        var final = await OidcJourney.SignInAsync(app, person);

        Assert.Equal(HttpStatusCode.Forbidden, final.StatusCode);
        var html = await final.Content.ReadAsStringAsync();
        Assert.Contains("Ask your district’s key leader to invite you", html);
        Assert.Contains("No account was created", html);
        Assert.Equal(usersBefore, await factory.WithDbAsync(db => db.Users.CountAsync()));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == person.Email)));
        Assert.Equal(HttpStatusCode.Redirect, (await app.GetAsync("/account/security")).StatusCode);
    }

    [Fact]
    public async Task District_domain_and_provider_restrictions_apply_to_its_people()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var outsider = $"staff-{Guid.NewGuid():N}@example.net";
        var insider = $"staff-{Guid.NewGuid():N}@pineridge.k12.mi.us";
        foreach (var email in new[] { outsider, insider })
        {
            var user = await factory.AccountAsync(email);
            await factory.WithDbAsync(async db =>
            {
                db.TeamMemberships.Add(new TeamMembership { DistrictId = ids.PineRidge, UserId = user.Id, Role = TeamRole.DistrictLeader, JoinedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            });
        }
        await SetPolicyAsync(ids.PineRidge, "pineridge.k12.mi.us", "");
        try
        {
            // Only addresses at the district's domain, whichever way.
            var refused = await OidcJourney.SignInAsync(factory.CreateBrowserClient(), factory.Person(outsider));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("@pineridge.k12.mi.us", await refused.Content.ReadAsStringAsync());
            var passwordRefused = await factory.CreateBrowserClient().PostFormAsync("/account/sign-in", new() { ["Email"] = outsider, ["Password"] = TestClient.DemoPassword });
            Assert.Equal(HttpStatusCode.BadRequest, passwordRefused.StatusCode);
            Assert.Contains("@pineridge.k12.mi.us", await passwordRefused.Content.ReadAsStringAsync());
            Assert.Equal("/", (await OidcJourney.SignInAsync(factory.CreateBrowserClient(), factory.Person(insider))).Headers.Location!.OriginalString);

            // Only through the provider: the password no longer opens the account, the provider does.
            await SetPolicyAsync(ids.PineRidge, "pineridge.k12.mi.us", "Oidc");
            var password = await factory.CreateBrowserClient().PostFormAsync("/account/sign-in", new() { ["Email"] = insider, ["Password"] = TestClient.DemoPassword });
            Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
            Assert.Contains($"asks its people to sign in with {OidcFactory.ProviderName}", await password.Content.ReadAsStringAsync());
            var wrongPassword = await factory.CreateBrowserClient().PostFormAsync("/account/sign-in", new() { ["Email"] = insider, ["Password"] = "Wrong-Pass-2026!" });
            Assert.DoesNotContain("asks its people", await wrongPassword.Content.ReadAsStringAsync()); // the rule is told only to the password's owner
            Assert.Equal("/", (await OidcJourney.SignInAsync(factory.CreateBrowserClient(), factory.Person(insider.ToUpperInvariant()))).Headers.Location!.OriginalString);
        }
        finally
        {
            await SetPolicyAsync(ids.PineRidge, "", "");
        }
    }

    [Fact]
    public async Task Invitation_of_a_provider_only_district_is_not_accepted_with_a_password()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (invitationId, token) = await DistrictRouteValues.NewInvitationAsync(factory, ids.PineRidge);
        await SetPolicyAsync(ids.PineRidge, "", "Oidc");
        try
        {
            var invitee = factory.CreateBrowserClient();
            await invitee.PostFormAsync("/invitations/open", new() { ["Token"] = token });
            var refused = await invitee.PostFormAsync("/invitations/accept",
                new() { ["DisplayName"] = "Pat Password", ["Password"] = "Invitee-Pass-2026!", ["ConfirmPassword"] = "Invitee-Pass-2026!" }, "/invitations/accept");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"asks its people to sign in with {OidcFactory.ProviderName}", await refused.Content.ReadAsStringAsync());
            var email = await factory.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitationId).Select(i => i.Email).SingleAsync());
            Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

            // Through the provider the same invitation is accepted.
            var final = await OidcJourney.SignInAsync(factory.CreateBrowserClient(), factory.Person(email));
            Assert.Equal($"/districts/{ids.PineRidge}", final.Headers.Location!.OriginalString);
        }
        finally
        {
            await SetPolicyAsync(ids.PineRidge, "", "");
        }
    }

    [Fact]
    public async Task Key_leader_edits_the_rules_and_cannot_lock_themselves_out()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("pineridge@example.org");
        var page = $"/districts/{ids.PineRidge}/sign-in-policy";
        Assert.Contains("Sign in with " + OidcFactory.ProviderName, await leader.GetHtmlAsync(page));
        var version = await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.PineRidge).Select(d => d.Version).SingleAsync());

        var bad = await leader.PostFormAsync(page, new() { ["EmailDomains"] = "not a domain!", ["Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a domain name", await bad.Content.ReadAsStringAsync());

        var selfLockout = await leader.PostFormAsync(page, new() { ["EmailDomains"] = "pineridge.k12.mi.us", ["Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, selfLockout.StatusCode);
        Assert.Contains("You would no longer be able to sign in yourself", await selfLockout.Content.ReadAsStringAsync());
        Assert.Equal("", await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.PineRidge).Select(d => d.SignInEmailDomains).SingleAsync()));

        var saved = await leader.PostFormAsync(page, new() { ["EmailDomains"] = "@Example.org, pineridge.k12.mi.us", ["Methods"] = "Password", ["Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.PineRidge).Select(d => new { d.SignInEmailDomains, d.SignInMethods }).SingleAsync());
        Assert.Equal("example.org,pineridge.k12.mi.us", stored.SignInEmailDomains);
        Assert.Equal("Password", stored.SignInMethods);
        await SetPolicyAsync(ids.PineRidge, "", "");
    }

    [Fact]
    public async Task Replayed_state_and_code_are_refused()
    {
        var email = $"replay-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email);
        var person = factory.Person(email);
        var app = factory.CreateBrowserClient();
        var answer = await OidcJourney.ThroughProviderAsync(app, "/account/sign-in", "/account/sign-in/external", person);

        Assert.Equal("/", (await OidcJourney.DeliverAsync(app, answer)).Headers.Location!.OriginalString);

        // The same answer again — in the same browser (its correlation and nonce cookies are used up), and in another one.
        foreach (var client in new[] { app, factory.CreateBrowserClient() })
        {
            var replay = await client.PostAsync(answer.Action.PathAndQuery, new FormUrlEncodedContent(answer.Fields));
            Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
            Assert.Equal("/account/sign-in?external=failed", replay.Headers.Location!.OriginalString);
        }
        var attacker = factory.CreateBrowserClient();
        await attacker.PostAsync(answer.Action.PathAndQuery, new FormUrlEncodedContent(answer.Fields));
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync("/account/security")).StatusCode);

        // A state made up by someone else is refused too.
        var forged = answer.Fields.Select(f => f.Key == "state" ? KeyValuePair.Create("state", f.Value[..^4] + "AAAA") : f).ToList();
        var victim = factory.CreateBrowserClient();
        var second = await OidcJourney.ThroughProviderAsync(victim, "/account/sign-in", "/account/sign-in/external", person);
        var tampered = second.Fields.Select(f => f.Key == "state" ? forged.Single(x => x.Key == "state") : f).ToList();
        var refused = await victim.PostAsync(second.Action.PathAndQuery, new FormUrlEncodedContent(tampered));
        Assert.Equal("/account/sign-in?external=failed", refused.Headers.Location!.OriginalString);
        Assert.Contains("did not complete", await victim.GetHtmlAsync("/account/sign-in?external=failed"));
    }

    [Fact]
    public async Task The_last_way_in_cannot_be_unlinked_but_another_can()
    {
        // Made through an invitation: no password, one linked login.
        var ids = await DemoIds.LoadAsync(factory);
        var (invitationId, _) = await DistrictRouteValues.NewInvitationAsync(factory, ids.Lakeshore);
        var email = await factory.WithDbAsync(db => db.Invitations.Where(i => i.Id == invitationId).Select(i => i.Email).SingleAsync());
        var onlyProvider = factory.CreateBrowserClient();
        await OidcJourney.SignInAsync(onlyProvider, factory.Person(email));

        var security = await onlyProvider.GetHtmlAsync("/account/security");
        Assert.Contains("only way to sign in", security);
        Assert.DoesNotContain("logins/remove", security);
        Assert.Contains("cannot be unlinked", await onlyProvider.GetHtmlAsync("/account/security/logins/remove?provider=Oidc"));
        var refused = await onlyProvider.PostUnofferedAsync("/account/security/logins/remove", new() { ["provider"] = "Oidc" }, "/account/security");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Single(await factory.LoginsOfAsync(email));

        // With a password as well, the login can go (after confirming).
        var withPassword = $"unlink-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(withPassword);
        var client = factory.CreateBrowserClient();
        await OidcJourney.SignInAsync(client, factory.Person(withPassword));
        Assert.Contains("Yes, unlink", await client.GetHtmlAsync("/account/security/logins/remove?provider=Oidc"));
        var removed = await client.PostFormAsync("/account/security/logins/remove", new() { ["provider"] = "Oidc" }, "/account/security/logins/remove?provider=Oidc");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await factory.LoginsOfAsync(withPassword));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/security")).StatusCode); // still signed in
    }

    [Fact]
    public async Task Signed_in_person_links_the_provider_from_sign_in_security()
    {
        var email = $"link-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email);
        var client = await factory.SignedInAsync(email);
        Assert.Contains($"Link {OidcFactory.ProviderName}", await client.GetHtmlAsync("/account/security"));

        // Another person's (verified) address is not linked to this account.
        var stranger = await OidcJourney.DeliverAsync(client, await OidcJourney.ThroughProviderAsync(client, "/account/security", "/account/security/logins/link", factory.Person()));
        Assert.Equal("/account/security", stranger.Headers.Location!.OriginalString);
        Assert.Empty(await factory.LoginsOfAsync(email));

        var person = factory.Person(email);
        var linked = await OidcJourney.DeliverAsync(client, await OidcJourney.ThroughProviderAsync(client, "/account/security", "/account/security/logins/link", person));
        Assert.Equal("/account/security", linked.Headers.Location!.OriginalString);
        Assert.Contains("is linked", await client.GetHtmlAsync("/account/security"));
        Assert.Equal(person.Subject, Assert.Single(await factory.LoginsOfAsync(email)).ProviderKey);
    }

    [Fact]
    public async Task Provider_asserting_mfa_satisfies_the_staff_two_factor_rule_otherwise_the_app_asks()
    {
        var withMfa = $"coach-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(withMfa, AppRoles.Facilitator);
        var strong = factory.CreateBrowserClient();
        Assert.Equal("/", (await OidcJourney.SignInAsync(strong, factory.Person(withMfa, mfa: true))).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await strong.GetAsync("/notifications")).StatusCode);

        // No mfa from the provider: staff without the app's own second factor are sent to set it up.
        var withoutMfa = $"coach-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(withoutMfa, AppRoles.Facilitator);
        var weak = factory.CreateBrowserClient();
        await OidcJourney.SignInAsync(weak, factory.Person(withoutMfa, mfa: false));
        var sent = await weak.GetAsync("/notifications");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/account/security/authenticator", sent.Headers.Location!.OriginalString);

        // ... and those who have it are asked for its code after the provider.
        var (key, _) = await TwoFactorHelper.EnableAsync(weak);
        var next = factory.CreateBrowserClient();
        var asked = await OidcJourney.SignInAsync(next, factory.Person(withoutMfa, mfa: false));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.StartsWith("/account/two-factor", asked.Headers.Location!.OriginalString);
        var code = await next.PostFormAsync("/account/two-factor", new() { ["Code"] = TwoFactorHelper.Code(key) }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/notifications")).StatusCode);
    }

    [Fact]
    public async Task Logs_hold_no_codes_states_or_cookies_of_the_flow()
    {
        var email = $"logscan-{Guid.NewGuid():N}@example.net";
        await factory.AccountAsync(email);
        var person = factory.Person(email);
        var app = factory.CreateBrowserClient();
        var answer = await OidcJourney.ThroughProviderAsync(app, "/account/sign-in", "/account/sign-in/external", person);
        var posted = await app.PostAsync(answer.Action.PathAndQuery, new FormUrlEncodedContent(answer.Fields));
        var secrets = new List<string> { answer.Field("code"), answer.Field("state"), person.Password, factory.Provider.ClientSecret };
        secrets.AddRange(posted.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0].Split('=', 2)[1]).Where(v => v.Length > 20));
        var final = await app.GetAsync(posted.Headers.Location!.OriginalString);
        Assert.Equal("/", final.Headers.Location!.OriginalString);
        await app.PostAsync(answer.Action.PathAndQuery, new FormUrlEncodedContent(answer.Fields)); // a replay is logged as a failure

        var logs = factory.Logs.AllText();
        Assert.Contains("/signin-oidc", logs); // the callback was logged, so the check below means something
        Assert.Contains("signed in through Oidc", logs);
        foreach (var secret in secrets)
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"A secret ({secret[..4]}…) appears in the logs.");
        output.WriteLine($"{factory.Logs.Entries.Count} log entries checked against {secrets.Count} secrets of the sign-in flow.");
    }

    private Task SetPolicyAsync(int districtId, string domains, string methods) => factory.WithDbAsync(async db =>
    {
        var district = await db.Districts.SingleAsync(d => d.Id == districtId);
        district.SignInEmailDomains = domains;
        district.SignInMethods = methods;
        await db.SaveChangesAsync();
    });
}
