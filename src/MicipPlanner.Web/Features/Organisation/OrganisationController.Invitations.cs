using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Email;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>Invitations to the district's teams, and the district's improvement cycles.</summary>
public sealed partial class OrganisationController
{
    public sealed record TeamOption(int? BuildingId, string Name);

    public sealed record InvitePage(InviteForm Form, IReadOnlyList<TeamOption> Teams, bool EmailConfigured);

    private async Task<InvitePage> InvitePageAsync(int districtId, InviteForm form, IEmailSender email)
    {
        var teams = new List<TeamOption> { new(null, "District CI team") };
        teams.AddRange(await Db.Buildings.Where(b => b.DistrictId == districtId).OrderBy(b => b.Name)
            .Select(b => new TeamOption(b.Id, b.Name)).AsNoTracking().ToListAsync());
        return new InvitePage(form, teams, email.IsConfigured);
    }

    [HttpGet("invitations/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> NewInvitation(int districtId, int? buildingId, [FromServices] IEmailSender email)
    {
        var page = await InvitePageAsync(districtId, new InviteForm { DistrictId = districtId }, email);
        if (buildingId is not null && page.Teams.Any(t => t.BuildingId == buildingId)) page.Form.BuildingId = buildingId;
        return View("InvitationNew", page);
    }

    [HttpPost("invitations/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> CreateInvitation(int districtId, InviteForm form, [FromServices] IEmailSender email,
        [FromServices] InvitationService service)
    {
        // The duplicate and team checks must run against this district: validate with the route's id.
        form.DistrictId = districtId;
        ModelState.Clear();
        TryValidateModel(form);
        if (!ModelState.IsValid) return View("InvitationNew", await InvitePageAsync(districtId, form, email));

        var inviter = await Db.Users.DisplayNameAsync(CurrentUserId) ?? throw new InvalidOperationException("The signed-in account is gone.");
        var sent = await service.CreateAsync(new Invitation
        {
            DistrictId = districtId,
            BuildingId = form.BuildingId,
            Email = form.Email,
            DisplayName = form.DisplayName,
            Role = form.Role,
            InvitedByUserId = CurrentUserId,
        }, inviter, Request, Url.Action(nameof(Index), "Organisation", new { districtId }, null, null, "invitations")!, HttpContext.RequestAborted);
        return View("InvitationSent", sent);
    }

    [HttpPost("invitations/{invitationId:int}/revoke")]
    [DistrictPage(Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> RevokeInvitation(int districtId, int invitationId)
    {
        var invitation = await Db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.DistrictId == districtId && !i.AsFacilitator);
        if (invitation is null) return NotFound();
        if (invitation.AcceptedAt is not null)
        {
            TempData["Status"] = $"{invitation.Email} had already accepted the invitation; remove them from the team instead.";
            return RedirectToAction(nameof(Index), "Organisation", new { districtId }, "invitations");
        }
        Db.Invitations.Remove(invitation);
        await Db.SaveChangesAsync();
        TempData["Status"] = $"The invitation for {invitation.Email} was revoked; its link no longer works.";
        return RedirectToAction(nameof(Index), "Organisation", new { districtId }, "invitations");
    }

    [HttpGet("cycles/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> NewCycle(int districtId)
    {
        var model = await OrganisationQuery.LoadAsync(Db, CurrentDistrict, Clock.GetUtcNow());
        return View("CycleNew", new StartCycleForm { DistrictId = districtId, SchoolYear = model.SuggestedSchoolYear });
    }

    [HttpPost("cycles/new")]
    [DistrictPage(Section = "organisation", Requires = Permission.ManageOrganisation)]
    public async Task<IActionResult> StartCycle(int districtId, StartCycleForm form, [FromServices] CycleStarter starter)
    {
        form.DistrictId = districtId;
        ModelState.Clear();
        TryValidateModel(form);
        if (!ModelState.IsValid) return View("CycleNew", form);
        SchoolYears.TryParse(form.SchoolYear, out var startYear);
        Cycle cycle;
        try
        {
            cycle = await starter.StartAsync(districtId, startYear, HttpContext.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // Someone started the same school year a moment ago (unique district + year).
            ModelState.AddModelError(nameof(StartCycleForm.SchoolYear), $"The district already has a cycle for {SchoolYears.Format(startYear)}. Open it from the list instead.");
            return View("CycleNew", form);
        }
        TempData["Status"] = $"Improvement cycle {cycle.SchoolYear} started with a blank rubric and the “Whole team” group. Earlier cycles stay readable."
            + (await Db.Cycles.AnyAsync(c => c.DistrictId == districtId && c.StartYear == startYear - 1)
                ? $" Goals that {SchoolYears.Format(startYear - 1)}'s evaluation maintained or revised can be carried over from the plan page."
                : "");
        return RedirectToAction("Dashboard", "Districts", new { districtId, cycleId = cycle.Id });
    }
}
