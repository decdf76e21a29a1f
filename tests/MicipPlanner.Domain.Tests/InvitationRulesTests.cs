using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;

namespace MicipPlanner.Domain.Tests;

public sealed class InvitationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    private static Invitation Pending() => new() { CreatedAt = Now, ExpiresAt = Now + Invitation.Lifetime };

    [Fact]
    public void An_invitation_is_accepted_once_and_refused_the_second_time()
    {
        var invitation = Pending();
        invitation.Accept(Now.AddHours(1));
        Assert.Equal(Now.AddHours(1), invitation.AcceptedAt);
        Assert.Equal(InvitationState.Accepted, invitation.StateAt(Now.AddHours(2)));

        var second = Assert.Throws<DomainRuleException>(() => invitation.Accept(Now.AddHours(2)));
        Assert.Contains("already been used", second.Message);
        Assert.Equal(Now.AddHours(1), invitation.AcceptedAt);
    }

    [Fact]
    public void An_invitation_expires_after_its_lifetime()
    {
        var invitation = Pending();
        Assert.Equal(InvitationState.Pending, invitation.StateAt(Now + Invitation.Lifetime - TimeSpan.FromSeconds(1)));
        Assert.Equal(InvitationState.Expired, invitation.StateAt(Now + Invitation.Lifetime));
        var refused = Assert.Throws<DomainRuleException>(() => invitation.Accept(Now + Invitation.Lifetime));
        Assert.Contains("expired", refused.Message);
        Assert.Null(invitation.AcceptedAt);
    }

    [Fact]
    public void Tokens_are_random_url_safe_and_only_their_hash_is_kept()
    {
        var a = InvitationTokens.NewToken();
        var b = InvitationTokens.NewToken();
        Assert.NotEqual(a, b);
        Assert.True(InvitationTokens.IsWellFormed(a));
        Assert.Equal(InvitationTokens.Length, a.Length);
        Assert.DoesNotContain(a, c => c is '+' or '/' or '=');

        var hash = InvitationTokens.Hash(a);
        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, InvitationTokens.Hash(a));
        Assert.NotEqual(hash, InvitationTokens.Hash(b));
        Assert.DoesNotContain(a, hash);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("../../etc/passwd-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Malformed_tokens_are_recognised_before_any_lookup(string? token) =>
        Assert.False(InvitationTokens.IsWellFormed(token));

    [Fact]
    public void Team_roles_must_fit_the_team()
    {
        Assert.Null(TeamRules.RoleRefusal(TeamRole.BoardMember, buildingTeam: false, districtHasOtherKeyLeader: true));
        Assert.Null(TeamRules.RoleRefusal(TeamRole.InstructionalStaff, buildingTeam: true, districtHasOtherKeyLeader: true));
        Assert.Contains("building team role", TeamRules.RoleRefusal(TeamRole.KeyLeader, buildingTeam: true, districtHasOtherKeyLeader: false));
        Assert.Contains("district team role", TeamRules.RoleRefusal(TeamRole.BuildingLeader, buildingTeam: false, districtHasOtherKeyLeader: false));
        Assert.NotNull(TeamRules.RoleRefusal((TeamRole)99, buildingTeam: false, districtHasOtherKeyLeader: false));
        Assert.Equal(TeamRoles.BuildingTeam, TeamRules.RolesFor(buildingTeam: true));
    }

    [Fact]
    public void The_district_has_one_key_leader()
    {
        Assert.Null(TeamRules.RoleRefusal(TeamRole.KeyLeader, buildingTeam: false, districtHasOtherKeyLeader: false));
        Assert.Contains("already has a key leader", TeamRules.RoleRefusal(TeamRole.KeyLeader, buildingTeam: false, districtHasOtherKeyLeader: true));
    }
}
