using MicipPlanner.Domain.Networks;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Networks;

public sealed record NetworkListItem(int Id, string Name, string Description, int Districts, int Sharing);

public sealed record NetworkListPage(IReadOnlyList<NetworkListItem> Networks, bool IsAdmin);

public sealed record PersonOption(string Id, string Name);

public sealed record DistrictChoice(int Id, string Name);

public sealed record NetworkEditPage(NetworkForm Form, IReadOnlyList<PersonOption> Coordinators, IReadOnlyList<MemberView> Members,
    IReadOnlyList<DistrictChoice> Addable, NetworkDistrictForm AddForm);

/// <summary>
/// Networks of districts: administrators create them and keep their district lists; people of member districts (and the
/// coordinator) read the anonymised benchmarks and the practice library. A network the person may not read answers 404.
/// </summary>
[Route("networks")]
[Authorize]
public sealed class NetworksController(AppDbContext db, NetworkQuery query, DistrictAccessService access, TimeProvider clock, PagePdfWriter pdf,
    Domain.Toolkits.ToolkitCatalog toolkits) : Controller
{
    private const string PrintView = "Print";

    private IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>The networks the person may read (every network, for an administrator).</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var userId = access.UserId ?? "";
        var admin = access.IsAdmin;
        var networks = await db.Networks.AsNoTracking()
            .Where(n => admin || n.CoordinatorUserId == userId
                || db.FacilitatorAssignments.Any(f => f.UserId == userId && n.Members.Any(m => m.DistrictId == f.DistrictId))
                || db.TeamMemberships.Any(t => t.UserId == userId && t.BuildingId == null && n.Members.Any(m => m.DistrictId == t.DistrictId)))
            .OrderBy(n => n.Name)
            .Select(n => new NetworkListItem(n.Id, n.Name, n.Description, n.Members.Count,
                n.Members.Count(m => db.Districts.Any(d => d.Id == m.DistrictId && d.SharesWithNetworks))))
            .ToListAsync();
        return View(new NetworkListPage(networks, admin));
    }

    [HttpGet("{networkId:int}")]
    public async Task<IActionResult> Show(int networkId, string? row, int? level)
    {
        var page = await LoadPageAsync(networkId, row, level);
        return page is null ? NotFound() : View("Show", page);
    }

    [HttpGet("{networkId:int}.pdf")]
    public async Task<IActionResult> Pdf(int networkId)
    {
        var page = await LoadPageAsync(networkId, null, null);
        if (page is null) return NotFound();
        return await pdf.ResultAsync(this, PrintView, page with { ForPrint = true }, landscape: false, $"network-{networkId}.pdf", Url.Action(nameof(Show), new { networkId })!);
    }

    private async Task<NetworkPage?> LoadPageAsync(int networkId, string? row, int? level)
    {
        var facts = await query.FactsAsync(networkId, HttpContext.RequestAborted);
        if (facts is null) return null;
        var toolkitRows = toolkits.Default.Rubric.Rows;
        // Unknown filters are ignored rather than refused: they come from links and bookmarks.
        var rowFilter = toolkitRows.Any(r => r.Key == row) ? row : null;
        var levelFilter = level is >= 1 and <= 4 ? level : null;
        return await query.PageAsync(facts, rowFilter, levelFilter, HttpContext.RequestAborted);
    }

    [HttpGet("new")]
    public async Task<IActionResult> New()
    {
        if (!access.IsAdmin) return Denied();
        return View("Edit", await EditPageAsync(new NetworkForm(), null));
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create(NetworkForm form)
    {
        if (!access.IsAdmin) return Denied();
        if (!ModelState.IsValid) return View("Edit", await EditPageAsync(form, null));
        var network = new Network
        {
            Name = FormText.Clean(form.Name), Description = FormText.Clean(form.Description),
            CoordinatorUserId = string.IsNullOrEmpty(form.CoordinatorUserId) ? null : form.CoordinatorUserId, CreatedAt = clock.GetUtcNow(),
        };
        db.Networks.Add(network);
        await db.SaveChangesAsync();
        TempData["Status"] = $"{network.Name} was created. Add its districts below; each district's key leader decides whether it shares its results.";
        return RedirectToAction(nameof(Edit), new { networkId = network.Id });
    }

    [HttpGet("{networkId:int}/edit")]
    public async Task<IActionResult> Edit(int networkId)
    {
        var facts = await query.FactsAsync(networkId, HttpContext.RequestAborted);
        if (facts is null) return NotFound();
        if (!NetworkAccess.CanManage(facts.Viewer)) return Denied();
        var form = new NetworkForm { Id = facts.Id, Name = facts.Name, Description = facts.Description, CoordinatorUserId = facts.CoordinatorUserId, Version = facts.Version };
        return View("Edit", await EditPageAsync(form, networkId));
    }

    [HttpPost("{networkId:int}/edit")]
    public async Task<IActionResult> Update(int networkId, NetworkForm form)
    {
        var facts = await query.FactsAsync(networkId, HttpContext.RequestAborted);
        if (facts is null) return NotFound();
        if (!NetworkAccess.CanManage(facts.Viewer)) return Denied();
        if (!ModelState.IsValid) return View("Edit", await EditPageAsync(form, networkId));
        var network = await db.Networks.SingleAsync(n => n.Id == networkId);
        if (form.Version is { } seen) db.ShownAs(network, seen);
        network.Name = FormText.Clean(form.Name);
        network.Description = FormText.Clean(form.Description);
        network.CoordinatorUserId = string.IsNullOrEmpty(form.CoordinatorUserId) ? null : form.CoordinatorUserId;
        if (!await this.SavedWithoutConflictAsync(db, "Someone else changed this network while you were editing. Reload the page to see their changes, then make yours again."))
            return View("Edit", await EditPageAsync(form, networkId));
        TempData["Status"] = "Network saved.";
        return RedirectToAction(nameof(Edit), new { networkId });
    }

    [HttpPost("{networkId:int}/districts")]
    public async Task<IActionResult> AddDistrict(int networkId, NetworkDistrictForm form)
    {
        var facts = await query.FactsAsync(networkId, HttpContext.RequestAborted);
        if (facts is null) return NotFound();
        if (!NetworkAccess.CanManage(facts.Viewer)) return Denied();
        if (form.DistrictId is { } id && await db.NetworkMemberships.AnyAsync(m => m.NetworkId == networkId && m.DistrictId == id))
            ModelState.AddModelError(nameof(NetworkDistrictForm.DistrictId), "This district is already on the network.");
        if (!ModelState.IsValid)
        {
            var page = await EditPageAsync(new NetworkForm { Id = facts.Id, Name = facts.Name, Description = facts.Description, CoordinatorUserId = facts.CoordinatorUserId, Version = facts.Version }, networkId);
            return View("Edit", page with { AddForm = form });
        }
        db.NetworkMemberships.Add(new NetworkMembership { NetworkId = networkId, DistrictId = form.DistrictId!.Value, AddedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync();
        var name = await db.Districts.Where(d => d.Id == form.DistrictId).Select(d => d.Name).SingleAsync();
        TempData["Status"] = $"{name} is on the network. Its results count once its key leader turns on sharing (Edit district).";
        return RedirectToAction(nameof(Edit), "Networks", new { networkId }, "members");
    }

    [HttpPost("{networkId:int}/districts/{districtId:int}/remove")]
    public async Task<IActionResult> RemoveDistrict(int networkId, int districtId, ConfirmForm form)
    {
        var facts = await query.FactsAsync(networkId, HttpContext.RequestAborted);
        if (facts is null) return NotFound();
        if (!NetworkAccess.CanManage(facts.Viewer)) return Denied();
        var membership = await db.NetworkMemberships.SingleOrDefaultAsync(m => m.NetworkId == networkId && m.DistrictId == districtId);
        if (membership is null) return NotFound();
        if (!ModelState.IsValid)
        {
            var page = await EditPageAsync(new NetworkForm { Id = facts.Id, Name = facts.Name, Description = facts.Description, CoordinatorUserId = facts.CoordinatorUserId, Version = facts.Version }, networkId);
            ModelState.Remove(nameof(ConfirmForm.Confirm));
            ModelState.AddModelError(nameof(ConfirmForm.Confirm), "Tick “Confirm” beside the district to take it off the network.");
            return View("Edit", page);
        }
        db.NetworkMemberships.Remove(membership);
        await db.SaveChangesAsync();
        TempData["Status"] = "The district is off the network; its results and notes no longer count in any figure.";
        return RedirectToAction(nameof(Edit), "Networks", new { networkId }, "members");
    }

    private async Task<NetworkEditPage> EditPageAsync(NetworkForm form, int? networkId)
    {
        var coordinators = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == AppRoles.Facilitator || r.Name == AppRoles.Admin))))
            .OrderBy(u => u.DisplayName).Select(u => new PersonOption(u.Id, u.DisplayName + " (" + u.Email + ")")).ToListAsync();
        var members = networkId is { } id
            ? await db.NetworkMemberships.AsNoTracking().Where(m => m.NetworkId == id)
                .Join(db.Districts, m => m.DistrictId, d => d.Id, (m, d) => d).OrderBy(d => d.Name)
                .Select(d => new MemberView(d.Id, d.Name, d.SharesWithNetworks)).ToListAsync()
            : [];
        var addable = networkId is { } nid
            ? await db.Districts.AsNoTracking().Where(d => !db.NetworkMemberships.Any(m => m.NetworkId == nid && m.DistrictId == d.Id))
                .OrderBy(d => d.Name).Select(d => new DistrictChoice(d.Id, d.Name)).ToListAsync()
            : [];
        return new NetworkEditPage(form, coordinators, members, addable, new NetworkDistrictForm());
    }
}
