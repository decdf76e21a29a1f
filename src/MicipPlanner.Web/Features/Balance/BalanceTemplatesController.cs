using MicipPlanner.Domain.Balance;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>Activity 3: the template list, a building's template and the district template, with their autosave.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/balance")]
public sealed class BalanceTemplatesController(DistrictPageServices services, BalanceTemplateWriter templates) : DistrictControllerBase(services)
{
    // Views are found by controller name; this controller's views live under the feature's name.
    private const string IndexView = "Index";

    /// <summary>Review queue for the district side; a building member goes to their own building's template.</summary>
    [HttpGet("")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var toolkit = ToolkitOf(cycle);
        var isDistrictSide = cycle.Permissions.CanSeeDistrictReports;
        var own = cycle.Permissions.Actor.BuildingIds;
        if (!isDistrictSide && own.Count == 1) return RedirectToAction(nameof(Building), new { districtId, cycleId, buildingId = own.First() });

        var slots = TemplateWorkflow.BuildingSlots(toolkit.Balance).Count;
        var rows = await Db.Buildings.Where(b => b.DistrictId == districtId && (isDistrictSide || own.Contains(b.Id))).OrderBy(b => b.Name)
            .Select(b => new
            {
                b.Id, b.Name,
                Template = Db.BalanceTemplates.Where(t => t.CycleId == cycleId && t.BuildingId == b.Id)
                    .Select(t => new
                    {
                        t.State, t.UpdatedAt, t.SubmittedAt,
                        Completed = t.Items.Count(i => i.Status == FunctionStatus.InPlace
                            || (i.Status != null && i.NextAction != "" && i.Owner != "")),
                    }).FirstOrDefault(),
            })
            .AsNoTracking().ToListAsync();
        return View(IndexView, new QueuePageModel(cycle, rows.Select(r => new QueueRow(r.Id, r.Name,
            r.Template is null ? "Not started" : r.Template.State.DisplayName(), r.Template?.State,
            r.Template?.UpdatedAt, r.Template?.SubmittedAt, r.Template?.Completed ?? 0, slots)).ToList(), isDistrictSide));
    }

    [HttpGet("buildings/{buildingId:int}")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Building(int districtId, int cycleId, int buildingId)
    {
        var cycle = CurrentCycle;
        if (!cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        var page = Page(cycle);
        var data = await page.LoadDataAsync(buildingId);
        if (data.BuildingName is null) return NotFound(); // not a building of this district
        return View(TemplatePage.ViewName, await page.BuildAsync(buildingId, null, [], data: data));
    }

    /// <summary>The building's template posted by its form; the page's script autosaves to the same address (<see cref="BalanceAutosaveController"/>).</summary>
    [HttpPost("buildings/{buildingId:int}")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> SaveBuilding(int districtId, int cycleId, int buildingId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        if (!await Page(cycle).CanSeeBuildingAsync(buildingId)) return NotFound();
        if (!cycle.Permissions.CanEditBuildingTemplate(buildingId)) return Denied();
        return await SaveAsync(cycle, buildingId, form);
    }

    [HttpGet("district")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> District(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var page = Page(cycle);
        var data = await page.LoadDataAsync(null);
        return View(TemplatePage.ViewName, await page.BuildAsync(null, null, [], data: data));
    }

    [HttpPost("district")]
    [CyclePage(Section = "balance", Requires = Permission.EditDistrictTemplate)]
    public async Task<IActionResult> SaveDistrict(int districtId, int cycleId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        return await SaveAsync(cycle, null, form);
    }

    private async Task<IActionResult> SaveAsync(CycleContext cycle, int? buildingId, TemplateForm form)
    {
        if (!ModelState.IsValid) return View(TemplatePage.ViewName, await Page(cycle).BuildAsync(buildingId, form, []));
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(ToolkitOf(cycle).Balance) : TemplateWorkflow.BuildingSlots(ToolkitOf(cycle).Balance);
        switch (await templates.SaveAsync(new TemplatePlace(cycle.DistrictId, cycle.CycleId, buildingId), slots, form))
        {
            case TemplateSaveResult.Refused refused:
                return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, refused.Message, []);
            case TemplateSaveResult.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", BalanceTemplateWriter.StaleMessage);
                return View(TemplatePage.ViewName, await Page(cycle).BuildAsync(buildingId, form, [], conflict.Theirs));
            case TemplateSaveResult.Saved saved:
                TempData["Status"] = $"Saved. {saved.Completed} of {slots.Count} functions completed.";
                break;
        }
        return buildingId is { } b
            ? RedirectToAction(nameof(Building), new { districtId = cycle.DistrictId, cycleId = cycle.CycleId, buildingId = b })
            : RedirectToAction(nameof(District), new { districtId = cycle.DistrictId, cycleId = cycle.CycleId });
    }

    private TemplatePage Page(CycleContext cycle) => new(Db, cycle, ToolkitOf(cycle), CurrentUserId);
}
