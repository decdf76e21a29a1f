using MicipPlanner.Domain.Rubric;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>Small rating groups for large teams: the key leader or facilitator adds them and assigns members.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/rubric/groups")]
public sealed class RatingGroupsController(DistrictPageServices services) : DistrictControllerBase(services)
{
    private const string Page = "Groups";

    [HttpGet("")]
    [CyclePage(Section = "rubric", Requires = Permission.ManageRatingGroups)]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        return View(Page, await BuildAsync(cycle));
    }

    [HttpPost("")]
    [CyclePage(Section = "rubric", Requires = Permission.ManageRatingGroups)]
    public async Task<IActionResult> Create(int districtId, int cycleId, GroupForm form)
    {
        var cycle = CurrentCycle;
        var name = FormText.Clean(form.Name);
        if (ModelState.IsValid && await Db.RatingGroups.AnyAsync(g => g.CycleId == cycleId && g.Name == name))
            ModelState.AddModelError(nameof(GroupForm.Name), "A group with this name already exists in this cycle.");
        var members = await ValidMembersAsync(districtId, form.MemberIds);
        if (!ModelState.IsValid) return View(Page, await BuildAsync(cycle));
        var order = await Db.RatingGroups.Where(g => g.CycleId == cycleId).MaxAsync(g => (int?)g.SortOrder) ?? 0;
        var group = new RatingGroup { DistrictId = districtId, CycleId = cycleId, Name = name, SortOrder = order + 1 };
        group.Members.AddRange(members.Select(m => new RatingGroupMember { UserId = m }));
        Db.RatingGroups.Add(group);
        await Db.SaveChangesAsync();
        TempData["Status"] = $"Group “{name}” added with {members.Count} member(s).";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    [HttpPost("{groupId:int}")]
    [CyclePage(Section = "rubric", Requires = Permission.ManageRatingGroups)]
    public async Task<IActionResult> Update(int districtId, int cycleId, int groupId, GroupForm form)
    {
        var cycle = CurrentCycle;
        var group = await Db.RatingGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == groupId && g.CycleId == cycleId);
        if (group is null) return NotFound();
        var name = FormText.Clean(form.Name);
        if (ModelState.IsValid && await Db.RatingGroups.AnyAsync(g => g.CycleId == cycleId && g.Name == name && g.Id != groupId))
            ModelState.AddModelError(nameof(GroupForm.Name), "A group with this name already exists in this cycle.");
        if (!ModelState.IsValid) return View(Page, await BuildAsync(cycle));
        var members = await ValidMembersAsync(districtId, form.MemberIds);
        if (form.Version is { } version) Db.ShownAs(group, version);
        group.Name = name;
        group.Members.RemoveAll(m => !members.Contains(m.UserId));
        foreach (var id in members.Where(id => group.Members.All(m => m.UserId != id)))
            group.Members.Add(new RatingGroupMember { UserId = id });
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else changed this group while you were editing. The page shows their version; make your change again."))
            return View(Page, await BuildAsync(cycle));
        TempData["Status"] = $"Group “{name}” saved.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    [HttpPost("{groupId:int}/delete")]
    [CyclePage(Section = "rubric", Requires = Permission.ManageRatingGroups)]
    public async Task<IActionResult> Delete(int districtId, int cycleId, int groupId, bool confirm)
    {
        var cycle = CurrentCycle;
        var group = await Db.RatingGroups.SingleOrDefaultAsync(g => g.Id == groupId && g.CycleId == cycleId);
        if (group is null) return NotFound();
        if (group.IsWholeTeam)
        {
            ModelState.AddModelError("", "The whole-team group stays: it is where the team rates together.");
            return View(Page, await BuildAsync(cycle));
        }
        if (!confirm)
        {
            ModelState.AddModelError("confirm", $"Tick “Yes, delete” to delete “{group.Name}” and its ratings.");
            return View(Page, await BuildAsync(cycle));
        }
        // A workshop that listed the group lists the others (the reference has no cascade: see WorkshopGroupConfiguration).
        Db.WorkshopGroups.RemoveRange(await Db.WorkshopGroups.Where(w => w.RatingGroupId == group.Id).ToListAsync());
        Db.RatingGroups.Remove(group);
        await Db.SaveChangesAsync();
        TempData["Status"] = $"Group “{group.Name}” and its ratings were deleted.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    /// <summary>Only people on this district's team can be placed in a group; anything else posted is ignored.</summary>
    private async Task<List<string>> ValidMembersAsync(int districtId, IEnumerable<string> posted)
    {
        var wanted = posted.Where(id => !string.IsNullOrEmpty(id)).Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await Db.TeamMemberships.Where(m => m.DistrictId == districtId && m.BuildingId == null && wanted.Contains(m.UserId))
            .Select(m => m.UserId).Distinct().ToListAsync();
    }

    private async Task<GroupsPageModel> BuildAsync(CycleContext cycle)
    {
        var team = await TeamMembersAsync(cycle.DistrictId);
        var names = team.ToDictionary(m => m.UserId, m => m.Name);
        var groups = await Db.RatingGroups.Where(g => g.CycleId == cycle.CycleId).OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new { g.Id, g.Name, g.IsWholeTeam, g.Version, Members = g.Members.Select(m => m.UserId).ToList(), Rated = g.Ratings.Count(r => r.Level != null) })
            .AsNoTracking().ToListAsync();
        return new GroupsPageModel(cycle, groups.Select(g => new GroupSummary(g.Id, g.Name, g.IsWholeTeam, g.Version,
            g.Members.Select(id => new MemberOption(id, names.GetValueOrDefault(id, "(former member)"))).ToList(), g.Rated)).ToList(), team);
    }

    private Task<List<MemberOption>> TeamMembersAsync(int districtId) => TeamDirectory.DistrictTeamAsync(Db, districtId);
}
