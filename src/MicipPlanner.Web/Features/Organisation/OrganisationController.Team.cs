using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>Team members: change a role, remove a member (after confirming).</summary>
public sealed partial class OrganisationController
{
    public sealed record MemberPage(RoleForm Form, string Name, string Email, string Team, bool BuildingTeam, TeamRole CurrentRole);

    private async Task<MemberPage?> LoadMemberAsync(int districtId, int membershipId)
    {
        var row = await (from m in Db.TeamMemberships
                         join u in Db.Users on m.UserId equals u.Id
                         where m.Id == membershipId && m.DistrictId == districtId
                         select new
                         {
                             m.Role, m.Version, m.BuildingId, u.DisplayName, u.Email,
                             Building = Db.Buildings.Where(b => b.Id == m.BuildingId).Select(b => b.Name).FirstOrDefault(),
                         }).AsNoTracking().SingleOrDefaultAsync();
        if (row is null) return null;
        var form = new RoleForm { DistrictId = districtId, MembershipId = membershipId, Role = row.Role, Version = row.Version };
        return new MemberPage(form, row.DisplayName, row.Email ?? "", row.Building ?? "District CI team", row.BuildingId is not null, row.Role);
    }

    [HttpGet("organisation/members/{membershipId:int}")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> EditMember(int districtId, int membershipId)
    {
        var page = await LoadMemberAsync(districtId, membershipId);
        if (page is null) return NotFound();
        return View("MemberEdit", page);
    }

    [HttpPost("organisation/members/{membershipId:int}")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> UpdateMember(int districtId, int membershipId, RoleForm form)
    {
        var page = await LoadMemberAsync(districtId, membershipId);
        if (page is null) return NotFound();
        form.DistrictId = districtId;
        form.MembershipId = membershipId;
        ModelState.Clear();
        TryValidateModel(form);
        if (!ModelState.IsValid) return View("MemberEdit", page with { Form = form });

        var membership = await Db.TeamMemberships.SingleAsync(m => m.Id == membershipId);
        Db.ShownAs(membership, form.Version);
        membership.Role = form.Role!.Value;
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else changed this membership while you were editing. Reload the page and try again."))
            return View("MemberEdit", page with { Form = form });
        TempData["Status"] = $"{page.Name} is now {membership.Role.DisplayName()} ({page.Team}).";
        return RedirectToAction(nameof(Index), "Organisation", new { districtId }, $"team-{membership.BuildingId?.ToString() ?? "district"}");
    }

    [HttpGet("organisation/members/{membershipId:int}/remove")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> ConfirmRemoveMember(int districtId, int membershipId)
    {
        var page = await LoadMemberAsync(districtId, membershipId);
        if (page is null) return NotFound();
        return View("MemberRemove", page);
    }

    [HttpPost("organisation/members/{membershipId:int}/remove")]
    [DistrictPage(Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> RemoveMember(int districtId, int membershipId)
    {
        var membership = await Db.TeamMemberships.SingleOrDefaultAsync(m => m.Id == membershipId && m.DistrictId == districtId);
        if (membership is null)
        {
            TempData["Status"] = "That person was already removed from the team.";
            return RedirectToAction(nameof(Index), new { districtId });
        }
        var name = await Db.Users.DisplayNameAsync(membership.UserId) ?? throw new InvalidOperationException("The member's account is gone.");
        Db.TeamMemberships.Remove(membership);
        await Db.SaveChangesAsync();
        TempData["Status"] = $"{name} was removed from the team. Their account and past work stay.";
        return RedirectToAction(nameof(Index), "Organisation", new { districtId }, $"team-{membership.BuildingId?.ToString() ?? "district"}");
    }
}
