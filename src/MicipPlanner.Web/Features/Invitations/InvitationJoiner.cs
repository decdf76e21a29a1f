using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Invitations;

/// <summary>
/// Accepting an invitation, whichever way the person arrived (the link with a password, or a sign-in provider
/// vouching for the invited address). The caller saves the changes in its transaction.
/// </summary>
public sealed class InvitationJoiner(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    /// <summary>Marks the invitation used and gives the person their seat (or facilitator assignment).</summary>
    public async Task<string?> JoinAsync(Invitation invitation, AppUser user)
    {
        var now = clock.GetUtcNow();
        invitation.Accept(now);
        if (invitation.AsFacilitator)
        {
            if (!await users.IsInRoleAsync(user, AppRoles.Facilitator))
            {
                var added = await users.AddToRoleAsync(user, AppRoles.Facilitator);
                if (!added.Succeeded) throw new InvalidOperationException("The facilitator role could not be given: " + string.Join(" ", added.Errors.Select(e => e.Description)));
            }
            if (!await db.FacilitatorAssignments.AnyAsync(f => f.DistrictId == invitation.DistrictId && f.UserId == user.Id))
                db.FacilitatorAssignments.Add(new FacilitatorAssignment { DistrictId = invitation.DistrictId, UserId = user.Id, AssignedAt = now });
            return null;
        }
        var existing = await db.TeamMemberships.AnyAsync(m => m.DistrictId == invitation.DistrictId && m.BuildingId == invitation.BuildingId && m.UserId == user.Id);
        if (existing) return "You were already on this team; your role did not change.";
        var buildingTeam = invitation.BuildingId is not null;
        var role = invitation.Role ?? (buildingTeam ? TeamRole.InstructionalStaff : TeamRole.DistrictLeader);
        string? note = null;
        var keyLeaderTaken = await db.TeamMemberships.AnyAsync(m => m.DistrictId == invitation.DistrictId && m.BuildingId == null && m.Role == TeamRole.KeyLeader);
        if (TeamRules.RoleRefusal(role, buildingTeam, keyLeaderTaken) is not null)
        {
            // The seat was filled after the invitation went out: join with the nearest role the team allows.
            role = buildingTeam ? TeamRole.InstructionalStaff : TeamRole.DistrictLeader;
            note = $"The team meanwhile has a key leader, so you joined as {role.DisplayName()}; the key leader or facilitator can change it.";
        }
        db.TeamMemberships.Add(new TeamMembership
        {
            DistrictId = invitation.DistrictId, BuildingId = invitation.BuildingId, UserId = user.Id, Role = role, JoinedAt = now,
        });
        return note;
    }
}
