using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

public sealed partial class OrganisationTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const string NewPassword = "Fresh-Start-2026";

    [GeneratedRegex("value=\"(https?://localhost/invitations/open#[A-Za-z0-9_-]{43})\"")]
    private static partial Regex LinkPattern();

    private static string LinkIn(string html)
    {
        var match = LinkPattern().Match(html);
        Assert.True(match.Success, "The invitation page shows no link to copy.");
        return match.Groups[1].Value;
    }

    /// <summary>The code after "#" in an invitation link (a browser never sends it to the server).</summary>
    internal static string TokenOf(string link) => link[(link.IndexOf('#') + 1)..];

    /// <summary>What the open page does in the browser: posts the code from the link's fragment.</summary>
    internal static Task<HttpResponseMessage> OpenAsync(HttpClient client, string link) =>
        client.PostFormAsync("/invitations/open", new() { ["Token"] = TokenOf(link) });

    internal static async Task<string> OpenHtmlAsync(HttpClient client, string link)
    {
        var opened = await OpenAsync(client, link);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/invitations/accept", opened.Headers.Location!.OriginalString);
        return await client.GetHtmlAsync("/invitations/accept");
    }

    private static async Task<HttpResponseMessage> PostAcceptAsync(HttpClient client, string link, Dictionary<string, string> fields)
    {
        await OpenAsync(client, link);
        return await client.PostFormAsync("/invitations/accept", fields);
    }

    /// <summary>Invites through the real form as <paramref name="inviter"/> and returns the link path shown to copy.</summary>
    private async Task<string> InviteAsync(HttpClient inviter, int districtId, string email, TeamRole role, int? buildingId = null, string name = "")
    {
        var response = await inviter.PostFormAsync($"/districts/{districtId}/invitations/new", new()
        {
            ["Email"] = email, ["DisplayName"] = name, ["Role"] = role.ToString(), ["BuildingId"] = buildingId?.ToString() ?? "",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && html.Contains("Invitation created"), html);
        Assert.Contains("E-mail is not set up on this server", html);
        return LinkIn(html);
    }

    private static Task<HttpResponseMessage> AcceptAsNewAsync(HttpClient client, string link, string name = "Robin Newcomer", string password = NewPassword) =>
        PostAcceptAsync(client, link, new() { ["DisplayName"] = name, ["Password"] = password, ["ConfirmPassword"] = password });

    [Fact]
    public async Task Invitee_sets_a_password_and_lands_on_the_dashboard_as_a_member_with_the_role()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var link = await InviteAsync(leader, ids.Lakeshore, "robin.board@example.net", TeamRole.BoardMember, name: "Robin");

        // Only the hash of the token is stored.
        Assert.StartsWith("https://localhost/invitations/open#", link);
        var token = TokenOf(link);
        var stored = await factory.WithDbAsync(db => db.Invitations.SingleAsync(i => i.Email == "robin.board@example.net"));
        Assert.Equal(InvitationTokens.Hash(token), stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash);
        // The audit trail records that a token was set, never its hash.
        var audited = await factory.WithDbAsync(db => db.AuditEntries
            .Where(a => a.EntityType == nameof(Invitation) && a.EntityId == stored.Id.ToString()).ToListAsync());
        Assert.Equal("(hidden)", audited.Single(a => a.Field == nameof(Invitation.TokenHash)).NewValue);
        Assert.DoesNotContain(audited, a => a.NewValue == stored.TokenHash || a.OldValue == stored.TokenHash);

        var invitee = factory.CreateBrowserClient();
        var page = await OpenHtmlAsync(invitee, link);
        Assert.Contains("Board member on the district CI team of Lakeshore Public Schools", page);
        Assert.Contains("Create my account and join", page);

        var accepted = await AcceptAsNewAsync(invitee, link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/districts/{ids.Lakeshore}", accepted.Headers.Location!.OriginalString);

        var home = await invitee.GetAsync("/");
        Assert.Equal($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}", home.Headers.Location!.OriginalString);
        var dashboard = await invitee.GetHtmlAsync(home.Headers.Location.OriginalString);
        Assert.Contains("Lakeshore Public Schools", dashboard);
        Assert.Contains("Welcome! You joined as Board member", dashboard);

        var membership = await factory.WithDbAsync(db => db.TeamMemberships
            .Where(m => m.DistrictId == ids.Lakeshore && db.Users.Any(u => u.Id == m.UserId && u.Email == "robin.board@example.net"))
            .Select(m => new { m.Role, m.BuildingId }).SingleAsync());
        Assert.Equal(TeamRole.BoardMember, membership.Role);
        Assert.Null(membership.BuildingId);
        // As a district team member (not a leader) the organisation screens stay closed.
        Assert.Equal(HttpStatusCode.Forbidden, (await invitee.GetAsync($"/districts/{ids.Lakeshore}/organisation")).StatusCode);
        // The new password works on the ordinary sign-in form.
        await factory.SignedInAsync("robin.board@example.net", NewPassword);
    }

    [Fact]
    public async Task Invitation_is_accepted_once_and_refused_the_second_time()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var link = await InviteAsync(facilitator, ids.Lakeshore, "once@example.net", TeamRole.InstructionalStaff, ids.LakeshoreBuildings[1]);

        // Two browsers open the link; the first to accept wins, the other is refused.
        var first = factory.CreateBrowserClient();
        var second = factory.CreateBrowserClient();
        await OpenHtmlAsync(first, link);
        await OpenHtmlAsync(second, link);
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostFormAsync("/invitations/accept",
            new() { ["DisplayName"] = "First Use", ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword })).StatusCode);
        var membership = await factory.WithDbAsync(db => db.TeamMemberships
            .Where(m => db.Users.Any(u => u.Id == m.UserId && u.Email == "once@example.net")).Select(m => new { m.BuildingId, m.Role }).SingleAsync());
        Assert.Equal(ids.LakeshoreBuildings[1], membership.BuildingId);
        Assert.Equal(TeamRole.InstructionalStaff, membership.Role);

        var repost = await second.PostUnofferedAsync("/invitations/accept",
            new() { ["DisplayName"] = "Second Use", ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword }, "/invitations/open");
        Assert.Equal(HttpStatusCode.Gone, repost.StatusCode);
        Assert.Contains("already been used", await repost.Content.ReadAsStringAsync());
        var again = await OpenAsync(factory.CreateBrowserClient(), link);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already been used", await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await factory.WithDbAsync(db => db.TeamMemberships.CountAsync(m => db.Users.Any(u => u.Id == m.UserId && u.Email == "once@example.net"))));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Second Use")));
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Second Use")));
    }

    [Fact]
    public async Task Expired_or_unknown_invitation_is_refused_with_a_clear_page()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var token = InvitationTokens.NewToken();
        await factory.WithDbAsync(async db =>
        {
            var leaderId = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
            db.Invitations.Add(new Invitation
            {
                DistrictId = ids.Lakeshore, Email = "late@example.net", Role = TeamRole.DistrictLeader, TokenHash = InvitationTokens.Hash(token),
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-15), ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1), InvitedByUserId = leaderId,
            });
            await db.SaveChangesAsync();
        });
        var client = factory.CreateBrowserClient();
        var page = await OpenAsync(client, "#" + token);
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("This invitation has expired", await page.Content.ReadAsStringAsync());

        // Accepting without a live opened invitation is refused, and nothing is created.
        var post = await client.PostUnofferedAsync("/invitations/accept",
            new() { ["DisplayName"] = "Too Late", ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword }, "/invitations/open");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "late@example.net")));

        // Codes are never accepted in the address (it would land in request logs).
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/invitations/{token}")).StatusCode);

        var unknown = await OpenAsync(client, "#" + InvitationTokens.NewToken());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("not valid", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task New_password_must_follow_the_password_rules_and_nothing_is_saved_until_it_does()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var link = await InviteAsync(leader, ids.Lakeshore, "weak@example.net", TeamRole.CommunityRepresentative);
        var invitee = factory.CreateBrowserClient();

        var weak = await AcceptAsNewAsync(invitee, link, "Weak Password", "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var html = await weak.Content.ReadAsStringAsync();
        Assert.Contains("field-validation-error", html);
        Assert.Contains("at least 10 characters", html);

        var mismatch = await PostAcceptAsync(invitee, link, new() { ["DisplayName"] = "X", ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword + "x" });
        Assert.Contains("The two passwords do not match.", await mismatch.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "weak@example.net")));
        Assert.Null(await factory.WithDbAsync(db => db.Invitations.Where(i => i.Email == "weak@example.net").Select(i => i.AcceptedAt).SingleAsync()));
    }

    [Fact]
    public async Task Existing_account_signs_in_with_its_password_to_accept()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var link = await InviteAsync(leader, ids.Lakeshore, "building3@example.org", TeamRole.SchoolRepresentative);

        var invitee = factory.CreateBrowserClient();
        Assert.Contains("Sign in and accept", await OpenHtmlAsync(invitee, link));
        var wrong = await PostAcceptAsync(invitee, link, new() { ["Password"] = "Not-The-Password-1" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The password is not right.", await wrong.Content.ReadAsStringAsync());

        var right = await PostAcceptAsync(invitee, link, new() { ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var roles = await factory.WithDbAsync(db => db.TeamMemberships
            .Where(m => m.DistrictId == ids.Lakeshore && db.Users.Any(u => u.Id == m.UserId && u.Email == "building3@example.org"))
            .Select(m => m.Role).ToListAsync());
        Assert.Equal([TeamRole.SchoolRepresentative, TeamRole.BuildingLeader], roles.Order());
    }

    [Fact]
    public async Task District_member_and_building_member_get_403_and_another_district_404_on_inviting()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var fields = new Dictionary<string, string> { ["Email"] = "sneaky@example.net", ["Role"] = "BoardMember", ["BuildingId"] = "" };
        foreach (var email in new[] { "member@example.org", "building1@example.org" })
        {
            var client = await factory.SignedInAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/districts/{ids.Lakeshore}/invitations/new")).StatusCode);
            var token = await client.AntiforgeryTokenAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
            var post = await client.PostAsync($"/districts/{ids.Lakeshore}/invitations/new", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }
        var pineRidge = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pineRidge.GetAsync($"/districts/{ids.Lakeshore}/invitations/new")).StatusCode);
        var pineToken = await pineRidge.AntiforgeryTokenAsync($"/districts/{ids.PineRidge}/organisation");
        var pinePost = await pineRidge.PostAsync($"/districts/{ids.Lakeshore}/invitations/new", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = pineToken }));
        Assert.Equal(HttpStatusCode.NotFound, pinePost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pineRidge.GetAsync($"/districts/{ids.Lakeshore}/organisation")).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == "sneaky@example.net")));
    }

    [Theory]
    [InlineData("not-an-address", "BoardMember", false, "Email", "Enter a valid e-mail address")]
    [InlineData("", "BoardMember", false, "Email", "Enter the person&#x27;s e-mail address.")]
    [InlineData("two@@example.net", "BoardMember", false, "Email", "Enter a valid e-mail address")]
    [InlineData("roles@example.net", "BuildingLeader", false, "Role", "Choose a district team role")]
    [InlineData("roles@example.net", "KeyLeader", true, "Role", "Choose a building team role")]
    [InlineData("roles@example.net", "", false, "Role", "Choose the person&#x27;s role on the team.")]
    [InlineData("roles@example.net", "KeyLeader", false, "Role", "already has a key leader")]
    [InlineData("member@example.org", "BoardMember", false, "Email", "This person is already on this team.")]
    [InlineData("building2@example.org", "InstructionalStaff", true, "Email", "This person is already on this team.")]
    public async Task Inviting_with_bad_input_shows_the_field_error_and_saves_nothing(string email, string role, bool toBuilding2, string field, string expected)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var before = await factory.WithDbAsync(db => db.Invitations.CountAsync());
        var response = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/new", new()
        {
            ["Email"] = email, ["Role"] = role, ["BuildingId"] = toBuilding2 ? ids.LakeshoreBuildings[1].ToString() : "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        // The expected messages are written as they appear in the markup (encoded); the parsed page holds the text.
        Assert.Contains(System.Net.WebUtility.HtmlDecode(expected), Html.Parse(html).Single($"#{field}-error").Text());
        Assert.Equal(before, await factory.WithDbAsync(db => db.Invitations.CountAsync()));
    }

    [Fact]
    public async Task Another_districts_building_is_not_a_team_choice_and_a_pending_invitation_is_not_repeated()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var pineBuilding = await factory.WithDbAsync(db => db.Buildings.Where(b => b.DistrictId == ids.PineRidge).Select(b => b.Id).FirstAsync());
        var leader = await factory.SignedInAsync("leader@example.org");
        var foreign = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/new", new()
        {
            ["Email"] = "foreign@example.net", ["Role"] = "InstructionalStaff", ["BuildingId"] = pineBuilding.ToString(),
        });
        Assert.Contains("Choose a team from the list.", await foreign.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == "foreign@example.net")));

        await InviteAsync(leader, ids.Lakeshore, "twice@example.net", TeamRole.DistrictLeader);
        var repeat = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/new", new()
        {
            ["Email"] = "TWICE@example.net", ["Role"] = "BoardMember", ["BuildingId"] = "",
        });
        Assert.Contains("already has a pending invitation", await repeat.Content.ReadAsStringAsync());
        Assert.Equal(1, await factory.WithDbAsync(db => db.Invitations.CountAsync(i => i.Email == "twice@example.net")));
    }

    [Fact]
    public async Task Pending_invitations_are_listed_and_a_revoked_link_no_longer_works()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var link = await InviteAsync(leader, ids.Lakeshore, "revoked@example.net", TeamRole.NonInstructionalStaff, ids.LakeshoreBuildings[2]);
        var page = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation");
        Assert.Contains("revoked@example.net", page);
        Assert.Contains("Non-instructional staff", page);

        var id = await factory.WithDbAsync(db => db.Invitations.Where(i => i.Email == "revoked@example.net").Select(i => i.Id).SingleAsync());
        var revoke = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/{id}/revoke", [], formPage: $"/districts/{ids.Lakeshore}/organisation");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Contains("The invitation for revoked@example.net was revoked", await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation"));
        Assert.DoesNotContain("revoked@example.net", await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation"));
        Assert.False(await factory.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == "revoked@example.net")));
        Assert.Equal(HttpStatusCode.NotFound, (await OpenAsync(factory.CreateBrowserClient(), link)).StatusCode);
    }

    /// <summary>A person on Lakeshore's district team, made directly so tests can change and remove them freely.</summary>
    private async Task<(string UserId, int MembershipId)> NewDistrictMemberAsync(string email, TeamRole role)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<MicipPlanner.Infrastructure.Data.AppDbContext>();
        var user = new AppUser { UserName = email, Email = email, DisplayName = "Casey " + email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, NewPassword)).Succeeded);
        var ids = await DemoIds.LoadAsync(factory);
        var membership = new TeamMembership { DistrictId = ids.Lakeshore, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow };
        db.TeamMemberships.Add(membership);
        await db.SaveChangesAsync();
        return (user.Id, membership.Id);
    }

    [Fact]
    public async Task Key_leader_lists_the_teams_with_roles_and_changes_a_members_role()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (_, membershipId) = await NewDistrictMemberAsync("role.change@example.net", TeamRole.DistrictLeader);
        var leader = await factory.SignedInAsync("leader@example.org");
        var page = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation");
        Assert.Contains("District CI team", page);
        Assert.Contains("Lee Leader", page);
        Assert.Contains("Key leader", page);
        Assert.Contains("Harbor View Elementary", page);
        Assert.Contains("Bailey Harbor", page);
        Assert.Contains("Building leader", page);

        var url = $"/districts/{ids.Lakeshore}/organisation/members/{membershipId}";
        var version = await factory.WithDbAsync(db => db.TeamMemberships.Where(m => m.Id == membershipId).Select(m => m.Version).SingleAsync());
        var ok = await leader.PostFormAsync(url, new() { ["Role"] = "BoardMember", ["Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(TeamRole.BoardMember, await factory.WithDbAsync(db => db.TeamMemberships.Where(m => m.Id == membershipId).Select(m => m.Role).SingleAsync()));

        version = await factory.WithDbAsync(db => db.TeamMemberships.Where(m => m.Id == membershipId).Select(m => m.Version).SingleAsync());
        foreach (var (role, message) in new[] { ("InstructionalStaff", "Choose a district team role"), ("KeyLeader", "already has a key leader") })
        {
            var bad = await leader.PostFormAsync(url, new() { ["Role"] = role, ["Version"] = version.ToString() });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var html = await bad.Content.ReadAsStringAsync();
            Assert.Contains(message, html);
            Assert.Contains("field-validation-error", html);
        }
        Assert.Equal(TeamRole.BoardMember, await factory.WithDbAsync(db => db.TeamMemberships.Where(m => m.Id == membershipId).Select(m => m.Role).SingleAsync()));

        var member = await factory.SignedInAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Removing_a_member_asks_for_confirmation_then_takes_away_their_access()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (_, membershipId) = await NewDistrictMemberAsync("removed@example.net", TeamRole.CommunityRepresentative);
        var removed = await factory.SignedInAsync("removed@example.net", NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await removed.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);

        var member = await factory.SignedInAsync("member@example.org");
        var url = $"/districts/{ids.Lakeshore}/organisation/members/{membershipId}/remove";
        var memberToken = await member.AntiforgeryTokenAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
        var refused = await member.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = memberToken }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var confirm = await facilitator.GetHtmlAsync(url);
        Assert.Contains("Remove Casey removed from the team?", confirm);
        Assert.True(await factory.WithDbAsync(db => db.TeamMemberships.AnyAsync(m => m.Id == membershipId)), "Showing the confirmation removes nothing.");

        var done = await facilitator.PostFormAsync(url, []);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.TeamMemberships.AnyAsync(m => m.Id == membershipId)));
        Assert.Equal(HttpStatusCode.NotFound, (await removed.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
    }

    [Fact]
    public async Task Starting_a_cycle_validates_the_school_year_and_refuses_a_duplicate()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var existing = await factory.WithDbAsync(db => db.Cycles.Where(c => c.Id == ids.LakeshoreCycle).Select(c => c.StartYear).SingleAsync());
        var count = await factory.WithDbAsync(db => db.Cycles.CountAsync(c => c.DistrictId == ids.Lakeshore));
        var url = $"/districts/{ids.Lakeshore}/cycles/new";

        var page = await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation");
        Assert.Contains(SchoolYears.Format(existing), page);
        Assert.Contains(SchoolYears.Format(existing - 1), page);

        var duplicate = await leader.PostFormAsync(url, new() { ["SchoolYear"] = SchoolYears.Format(existing) });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains($"already has a cycle for {SchoolYears.Format(existing)}", await duplicate.Content.ReadAsStringAsync());
        var garbled = await leader.PostFormAsync(url, new() { ["SchoolYear"] = "2026-28" });
        Assert.Contains("Enter the school year as 2026-27.", await garbled.Content.ReadAsStringAsync());
        Assert.Equal(count, await factory.WithDbAsync(db => db.Cycles.CountAsync(c => c.DistrictId == ids.Lakeshore)));

        var member = await factory.SignedInAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(url)).StatusCode);

        var next = SchoolYears.Format(existing + 5);
        var started = await leader.PostFormAsync(url, new() { ["SchoolYear"] = next });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var cycle = await factory.WithDbAsync(db => db.Cycles.SingleAsync(c => c.DistrictId == ids.Lakeshore && c.StartYear == existing + 5));
        Assert.Equal($"/districts/{ids.Lakeshore}/cycles/{cycle.Id}", started.Headers.Location!.OriginalString);
        var groups = await factory.WithDbAsync(db => db.RatingGroups.Where(g => g.CycleId == cycle.Id).Select(g => new { g.Name, g.IsWholeTeam }).ToListAsync());
        Assert.Equal("Whole team", Assert.Single(groups).Name);
        Assert.False(await factory.WithDbAsync(db => db.RubricRatings.AnyAsync(r => r.CycleId == cycle.Id)));
        // Older cycles stay readable.
        Assert.Contains("Group A", await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}"));
        await factory.WithDbAsync(async db => { db.Cycles.Remove(await db.Cycles.SingleAsync(c => c.Id == cycle.Id)); await db.SaveChangesAsync(); });
    }

    [Fact]
    public async Task Only_an_admin_invites_and_assigns_facilitators()
    {
        var ids = await DemoIds.LoadAsync(factory);
        foreach (var email in new[] { "facilitator@example.org", "leader@example.org" })
        {
            var client = await factory.SignedInAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/people")).StatusCode);
            var token = await client.AntiforgeryTokenAsync("/handouts");
            var facilitatorId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "facilitator@example.org").Select(u => u.Id).SingleAsync());
            var assign = await client.PostAsync("/admin/facilitators/assign", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserId"] = facilitatorId, ["DistrictId"] = ids.Lakeshore.ToString(), ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Forbidden, assign.StatusCode);
            var invite = await client.PostAsync("/admin/facilitators/invite", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "rogue@example.net", ["DistrictId"] = ids.Lakeshore.ToString(), ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        }
        Assert.False(await factory.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == "rogue@example.net")));

        var admin = await factory.SignedInAsync("admin@example.org");
        var people = await admin.GetHtmlAsync("/admin/people");
        Assert.Contains("Fran Facilitator", people);
        Assert.Contains("Lakeshore Public Schools", people);

        var bad = await admin.PostFormAsync("/admin/facilitators/invite", new() { ["Email"] = "coach@example.net", ["DistrictId"] = "" }, "/admin/people");
        Assert.Contains("Choose the district the facilitator serves first.", await bad.Content.ReadAsStringAsync());

        var sent = await admin.PostFormAsync("/admin/facilitators/invite", new() { ["Email"] = "coach@example.net", ["DisplayName"] = "Cory Coach", ["DistrictId"] = ids.Lakeshore.ToString() }, "/admin/people");
        var link = LinkIn(await sent.Content.ReadAsStringAsync());
        var coach = factory.CreateBrowserClient();
        Assert.Contains("facilitator of Lakeshore Public Schools", await OpenHtmlAsync(coach, link));
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsNewAsync(coach, link, "Cory Coach")).StatusCode);
        var coachId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "coach@example.net").Select(u => u.Id).SingleAsync());
        await factory.WithDbAsync(async db => Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == coachId && db.Roles.Any(x => x.Id == r.RoleId && x.Name == AppRoles.Facilitator))));
        Assert.Equal(HttpStatusCode.OK, (await coach.GetAsync($"/districts/{ids.Lakeshore}/organisation")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}")).StatusCode);

        var assigned = await admin.PostFormAsync("/admin/facilitators/assign", new() { ["UserId"] = coachId, ["DistrictId"] = ids.PineRidge.ToString() }, formPage: "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coach.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}")).StatusCode);

        // Only facilitator accounts can be assigned.
        var memberId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());
        var notFacilitator = await admin.PostFormAsync("/admin/facilitators/assign", new() { ["UserId"] = memberId, ["DistrictId"] = ids.PineRidge.ToString() }, formPage: "/admin/people");
        Assert.Equal(HttpStatusCode.BadRequest, notFacilitator.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.FacilitatorAssignments.AnyAsync(f => f.UserId == memberId)));

        var unassigned = await admin.PostFormAsync("/admin/facilitators/unassign", new() { ["UserId"] = coachId, ["DistrictId"] = ids.PineRidge.ToString() }, formPage: "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, unassigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}")).StatusCode);
    }
}

public sealed class InvitationMailTests(MailingWebFactory factory) : IClassFixture<MailingWebFactory>
{
    [Fact]
    public async Task With_mail_configured_the_link_is_emailed_and_when_sending_fails_it_is_shown_instead()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var response = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/new", new()
        {
            ["Email"] = "mailed@example.net", ["Role"] = "DistrictLeader", ["BuildingId"] = "",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The invitation was e-mailed to", html);
        Assert.DoesNotContain("/invitations/", html.Replace($"/districts/{ids.Lakeshore}/invitations/", ""));
        var mail = Assert.Single(factory.Mail.Sent);
        Assert.Equal("mailed@example.net", mail.To);
        Assert.Contains("Lee Leader invites you", mail.Body);
        var link = Regex.Match(mail.Body, "https?://localhost/invitations/open#[A-Za-z0-9_-]{43}").Value;
        Assert.Contains("District leader on the district CI team", await OrganisationTests.OpenHtmlAsync(factory.CreateBrowserClient(), link));

        factory.Mail.Fail = true;
        var failed = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/invitations/new", new()
        {
            ["Email"] = "bounced@example.net", ["Role"] = "BoardMember", ["BuildingId"] = "",
        });
        var failedHtml = await failed.Content.ReadAsStringAsync();
        Assert.Contains("The e-mail could not be sent.", failedHtml);
        Assert.Matches("value=\"https?://localhost/invitations/open#[A-Za-z0-9_-]{43}\"", failedHtml);
    }
}
