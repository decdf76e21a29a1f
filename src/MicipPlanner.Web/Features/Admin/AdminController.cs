using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Admin;

public sealed record DistrictOption(int Id, string Name);

public sealed record AdminDistrictRow(int Id, string Name, string Code, string Isd, IReadOnlyList<string> Facilitators);

public sealed record FacilitatorRowAdmin(string UserId, string Name, string Email, IReadOnlyList<DistrictOption> Assigned, IReadOnlyList<DistrictOption> Unassigned);

public sealed record AccountRow(string Name, string Email, IReadOnlyList<string> Roles, int Teams, bool LockedOut);

public sealed record PendingFacilitatorInvitation(string Email, string District, DateTimeOffset ExpiresAt);

public sealed record PeoplePage(IReadOnlyList<AdminDistrictRow> Districts, IReadOnlyList<FacilitatorRowAdmin> Facilitators,
    IReadOnlyList<AccountRow> Accounts, IReadOnlyList<PendingFacilitatorInvitation> Invitations, FacilitatorInviteForm InviteForm, DateTimeOffset Now);

/// <summary>The administrator's screen: districts, facilitator accounts and their assignments, all accounts.</summary>
[Route("admin")]
[Authorize]
public sealed class AdminController(AppDbContext db, TimeProvider clock) : Controller
{
    private bool IsAdmin => User.IsInRole(AppRoles.Admin);

    /// <summary>Signed in but not an administrator: 403 with the friendly page.</summary>
    private IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);

    [HttpGet("people")]
    public async Task<IActionResult> People()
    {
        if (!IsAdmin) return Denied();
        return View("People", await PeoplePageAsync(new FacilitatorInviteForm()));
    }

    [HttpPost("facilitators/invite")]
    public async Task<IActionResult> InviteFacilitator(FacilitatorInviteForm form, [FromServices] InvitationService service)
    {
        if (!IsAdmin) return Denied();
        if (!ModelState.IsValid) return View("People", await PeoplePageAsync(form));
        var userId = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value;
        var inviter = await db.Users.DisplayNameAsync(userId) ?? throw new InvalidOperationException("The signed-in account is gone.");
        var sent = await service.CreateAsync(new Invitation
        {
            DistrictId = form.DistrictId!.Value,
            Email = form.Email,
            DisplayName = form.DisplayName,
            AsFacilitator = true,
            InvitedByUserId = userId,
        }, inviter, Request, Url.Action(nameof(People), null, null, null, null, "facilitators")!, HttpContext.RequestAborted);
        return View("~/Features/Organisation/InvitationSent.cshtml", sent);
    }

    [HttpPost("facilitators/assign")]
    public async Task<IActionResult> Assign(AssignmentForm form)
    {
        if (!IsAdmin) return Denied();
        if (!ModelState.IsValid)
        {
            ViewData["AssignError"] = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
            ModelState.Clear();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("People", await PeoplePageAsync(new FacilitatorInviteForm()));
        }
        if (!await db.FacilitatorAssignments.AnyAsync(f => f.UserId == form.UserId && f.DistrictId == form.DistrictId))
        {
            db.FacilitatorAssignments.Add(new FacilitatorAssignment { UserId = form.UserId, DistrictId = form.DistrictId!.Value, AssignedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        TempData["Status"] = await DescribeAsync(form, "now facilitates");
        return RedirectToAction(nameof(People), null, null, "facilitators");
    }

    [HttpPost("facilitators/unassign")]
    public async Task<IActionResult> Unassign(AssignmentForm form)
    {
        if (!IsAdmin) return Denied();
        var assignment = await db.FacilitatorAssignments.SingleOrDefaultAsync(f => f.UserId == form.UserId && f.DistrictId == form.DistrictId);
        if (assignment is not null)
        {
            db.FacilitatorAssignments.Remove(assignment);
            await db.SaveChangesAsync();
        }
        TempData["Status"] = await DescribeAsync(form, "no longer facilitates");
        return RedirectToAction(nameof(People), null, null, "facilitators");
    }

    private async Task<string> DescribeAsync(AssignmentForm form, string verb)
    {
        var name = await db.Users.DisplayNameAsync(form.UserId) ?? "The facilitator";
        var district = await db.Districts.Where(d => d.Id == form.DistrictId).Select(d => d.Name).SingleOrDefaultAsync() ?? "the district";
        return $"{name} {verb} {district}.";
    }

    private async Task<PeoplePage> PeoplePageAsync(FacilitatorInviteForm form)
    {
        var districts = await db.Districts.OrderBy(d => d.Name).Select(d => new { d.Id, d.Name, d.Code, d.Isd }).AsNoTracking().ToListAsync();
        var assignments = await db.FacilitatorAssignments.Select(f => new { f.UserId, f.DistrictId }).AsNoTracking().ToListAsync();
        // Workshop seats (ADR 9) are not people an administrator manages.
        const string seatDomain = "@" + Domain.Workshops.WorkshopSeats.EmailDomain;
        var users = await db.Users.Where(u => u.Email == null || !u.Email.EndsWith(seatDomain)).OrderBy(u => u.DisplayName).Select(u => new
        {
            u.Id, u.DisplayName, u.Email, u.LockoutEnd,
            Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, role => role.Id, (r, role) => role.Name!).ToList(),
            Teams = db.TeamMemberships.Count(m => m.UserId == u.Id),
        }).AsNoTracking().ToListAsync();
        var names = users.ToDictionary(u => u.Id, u => u.DisplayName);
        var districtRows = districts.Select(d => new AdminDistrictRow(d.Id, d.Name, d.Code, d.Isd,
            assignments.Where(a => a.DistrictId == d.Id).Select(a => names.GetValueOrDefault(a.UserId, "?")).Order().ToList())).ToList();
        var facilitators = users.Where(u => u.Roles.Contains(AppRoles.Facilitator)).Select(u =>
        {
            var assigned = assignments.Where(a => a.UserId == u.Id).Select(a => a.DistrictId).ToHashSet();
            return new FacilitatorRowAdmin(u.Id, u.DisplayName, u.Email ?? "",
                districts.Where(d => assigned.Contains(d.Id)).Select(d => new DistrictOption(d.Id, d.Name)).ToList(),
                districts.Where(d => !assigned.Contains(d.Id)).Select(d => new DistrictOption(d.Id, d.Name)).ToList());
        }).ToList();
        var now = clock.GetUtcNow();
        var accounts = users.Select(u => new AccountRow(u.DisplayName, u.Email ?? "", u.Roles.Order().ToList(), u.Teams, u.LockoutEnd > now)).ToList();
        var pending = await db.Invitations.Where(i => i.AsFacilitator && i.AcceptedAt == null)
            .Select(i => new { i.Email, i.DistrictId, i.ExpiresAt }).AsNoTracking().ToListAsync();
        var invitations = pending.Where(i => i.ExpiresAt > now).OrderBy(i => i.ExpiresAt.UtcDateTime)
            .Select(i => new PendingFacilitatorInvitation(i.Email, districts.FirstOrDefault(d => d.Id == i.DistrictId)?.Name ?? "", i.ExpiresAt)).ToList();
        return new PeoplePage(districtRows, facilitators, accounts, invitations, form, now);
    }
}
