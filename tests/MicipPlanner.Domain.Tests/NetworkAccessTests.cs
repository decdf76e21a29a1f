using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;

namespace MicipPlanner.Domain.Tests;

public sealed class NetworkAccessTests
{
    [Fact]
    public void Only_people_of_member_districts_the_coordinator_and_admins_may_read_a_network()
    {
        Assert.True(NetworkAccess.CanView(new NetworkViewer(true, false, false, [])));
        Assert.True(NetworkAccess.CanView(new NetworkViewer(false, true, false, [])));
        Assert.True(NetworkAccess.CanView(new NetworkViewer(false, false, true, [])));
        Assert.True(NetworkAccess.CanView(new NetworkViewer(false, false, false, [7])));
        Assert.False(NetworkAccess.CanView(new NetworkViewer(false, false, false, [])));
    }

    [Fact]
    public void District_teams_never_see_which_districts_are_on_the_network()
    {
        Assert.False(NetworkAccess.CanSeeMemberNames(new NetworkViewer(false, false, true, [7])));
        Assert.True(NetworkAccess.CanSeeMemberNames(new NetworkViewer(false, true, false, [])));
        Assert.False(NetworkAccess.CanManage(new NetworkViewer(false, true, false, [])));
    }

    [Fact]
    public void Only_the_key_leader_changes_sharing_and_shares_notes()
    {
        DistrictPermissions As(bool facilitator, TeamRole? role) => new(new DistrictActor(false, facilitator, role, []));
        Assert.True(As(false, TeamRole.KeyLeader).CanChangeNetworkSharing);
        Assert.True(As(false, TeamRole.KeyLeader).CanSharePracticeNotes);
        Assert.False(As(true, null).CanChangeNetworkSharing);
        Assert.False(As(false, TeamRole.SystemsRepresentative).CanSharePracticeNotes);
        Assert.True(As(true, null).CanSeeDeskQueue);
        Assert.False(As(false, TeamRole.SystemsRepresentative).CanSeeDeskQueue);
    }

    [Fact]
    public void A_team_member_proposes_notes_and_changes_only_their_own_unpublished_proposal()
    {
        DistrictPermissions As(bool admin, bool facilitator, TeamRole? role, int[] buildings) => new(new DistrictActor(admin, facilitator, role, buildings));
        var member = As(false, false, TeamRole.SystemsRepresentative, []);
        var leader = As(false, false, TeamRole.KeyLeader, []);
        Assert.True(member.CanProposePracticeNotes);
        Assert.True(member.CanChangePracticeNote(isProposal: true, isOwn: true));
        Assert.False(member.CanChangePracticeNote(isProposal: true, isOwn: false));
        Assert.False(member.CanChangePracticeNote(isProposal: false, isOwn: true));
        Assert.True(leader.CanChangePracticeNote(isProposal: false, isOwn: false));
        Assert.True(leader.CanChangePracticeNote(isProposal: true, isOwn: false));
        // Facilitators, administrators and building teams neither propose nor change notes.
        foreach (var other in new[] { As(false, true, null, []), As(true, false, null, []), As(false, false, null, [3]) })
        {
            Assert.False(other.CanProposePracticeNotes);
            Assert.False(other.CanSharePracticeNotes);
            Assert.False(other.CanChangePracticeNote(isProposal: true, isOwn: true));
        }
    }
}
