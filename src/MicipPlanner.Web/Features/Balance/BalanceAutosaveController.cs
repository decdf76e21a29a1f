using MicipPlanner.Domain.Balance;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>
/// The template page's autosave: the whole template form posted by its script to the form's own address, answered in JSON
/// only (<c>{ saved, version, savedAt, completed, total }</c> or a problem). The form posts beside it
/// (<see cref="BalanceTemplatesController"/>) answer pages.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/balance")]
public sealed class BalanceAutosaveController(DistrictPageServices services, BalanceTemplateWriter templates) : DistrictControllerBase(services)
{
    [HttpPost("buildings/{buildingId:int}")]
    [CyclePage]
    [ScriptPost]
    public async Task<IActionResult> SaveBuilding(int districtId, int cycleId, int buildingId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        // The building (404) and the permission (403) answer before the form's own refusal.
        if (!await Page(cycle).CanSeeBuildingAsync(buildingId)) return NotFound();
        if (!cycle.Permissions.CanEditBuildingTemplate(buildingId)) return Denied();
        return await SaveAsync(cycle, buildingId, form);
    }

    [HttpPost("district")]
    [CyclePage(Requires = Permission.EditDistrictTemplate)]
    [ScriptPost]
    public async Task<IActionResult> SaveDistrict(int districtId, int cycleId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        return await SaveAsync(cycle, null, form);
    }

    private async Task<IActionResult> SaveAsync(CycleContext cycle, int? buildingId, TemplateForm form)
    {
        if (!ModelState.IsValid) return ValidationProblem();
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(ToolkitOf(cycle).Balance) : TemplateWorkflow.BuildingSlots(ToolkitOf(cycle).Balance);
        return await templates.SaveAsync(new TemplatePlace(cycle.DistrictId, cycle.CycleId, buildingId), slots, form) switch
        {
            TemplateSaveResult.Saved saved => Json(new
            {
                saved = true, version = saved.Version, savedAt = TimeZones.Format(saved.At, cycle.District.TimeZone), completed = saved.Completed,
                total = slots.Count,
            }),
            TemplateSaveResult.Conflict conflict => this.Refused(StatusCodes.Status409Conflict, "The template changed", BalanceTemplateWriter.StaleMessage,
                ("conflict", true), ("version", conflict.Theirs)),
            TemplateSaveResult.Refused refused => this.Refused(StatusCodes.Status409Conflict, "The template is read-only", refused.Message, ("locked", true)),
            _ => throw new InvalidOperationException("Unknown save result."),
        };
    }

    private TemplatePage Page(CycleContext cycle) => new(Db, cycle, ToolkitOf(cycle), CurrentUserId);
}
