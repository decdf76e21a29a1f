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
}
