using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Account;
using MicipPlanner.Web.Features.Districts;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Home;

public sealed record DistrictListItem(int Id, string Name, string Code, string Isd, int? CurrentCycleId, string? CurrentSchoolYear);

public sealed record HomeViewModel(IReadOnlyList<DistrictListItem> Districts, bool IsAdmin);

public sealed class HomeController(AppDbContext db, DistrictAccessService access, Desk.DeskQuery desk) : Controller
{
    [HttpGet("/"), AllowAnonymous]
    public async Task<IActionResult> Index()
    {
        if (User.Identity?.IsAuthenticated != true)
            return await db.Users.AnyAsync() ? RedirectToAction(nameof(AccountController.SignIn), "Account") : RedirectToAction(nameof(AccountController.Setup), "Account");

        // A facilitator's home is the desk: every assigned district at a glance and the review queue.
        if (!access.IsAdmin && User.IsInRole(MicipPlanner.Infrastructure.Identity.AppRoles.Facilitator))
            return View(Desk.DeskController.IndexView, await desk.LoadAsync(null, isFacilitator: true, HttpContext.RequestAborted));

        var visible = access.VisibleDistrictIds();
        var districts = await db.Districts
            .Where(d => visible.Contains(d.Id))
            .OrderBy(d => d.Name)
            .Select(d => new
            {
                d.Id, d.Name, d.Code, d.Isd,
                // Two scalar subqueries, each one step down the (district, start year) index: asking for the newest cycle
                // as a row makes the database number every cycle of the state first.
                CycleId = d.Cycles.OrderByDescending(c => c.StartYear).Select(c => (int?)c.Id).FirstOrDefault(),
                StartYear = d.Cycles.Max(c => (int?)c.StartYear),
            })
            .AsNoTracking().ToListAsync();
        var items = districts.Select(d => new DistrictListItem(d.Id, d.Name, d.Code, d.Isd, d.CycleId,
            d.StartYear is { } year ? Domain.Organisation.SchoolYears.Format(year) : null)).ToList();

        // A person on one district's team goes straight to its dashboard.
        if (items.Count == 1 && !access.IsAdmin && items[0].CurrentCycleId is { } cycleId)
            return RedirectToAction(nameof(DistrictsController.Dashboard), "Districts", new { districtId = items[0].Id, cycleId });
        return View(new HomeViewModel(items, access.IsAdmin));
    }
}
