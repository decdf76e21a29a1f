using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Monitoring;

/// <summary>
/// The meeting page's script recording check-ins and values at the forms' own addresses, answered in JSON only
/// (<c>{ saved, id, savedAt }</c> or a problem). The form posts beside it (<see cref="MonitoringController"/>) answer pages.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/monitoring")]
public sealed class MeetingScriptController(DistrictPageServices services, PlanWriter planWriter) : DistrictControllerBase(services)
{
    [HttpPost("activities/{activityId:int}/check-ins")]
    [CyclePage(Requires = Permission.BuildPlan)]
    [ScriptPost]
    public Task<IActionResult> RecordCheckIn(int districtId, int cycleId, int activityId, CheckInForm form) =>
        WriteAsync(writer => writer.RecordCheckInAsync(Place(), activityId, form, CurrentUserId), "This activity is no longer in the plan.");

    [HttpPost("measures/{measureId:int}/values")]
    [CyclePage(Requires = Permission.BuildPlan)]
    [ScriptPost]
    public Task<IActionResult> RecordValue(int districtId, int cycleId, int measureId, MeasureValueForm form) =>
        WriteAsync(writer => writer.RecordValueAsync(Place(), measureId, form, CurrentUserId), "This measure is no longer in the plan.");

    private async Task<IActionResult> WriteAsync(Func<PlanWriter, Task<PlanWriteResult>> write, string gone)
    {
        if (!ModelState.IsValid) return ValidationProblem();
        switch (await write(planWriter))
        {
            case PlanWriteResult.Saved done:
                return Json(new { saved = true, id = done.Id, savedAt = TimeZones.Format(Clock.GetUtcNow(), CurrentCycle.District.TimeZone) });
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return ValidationProblem();
            default:
                return this.Refused(StatusCodes.Status404NotFound, "Not found", gone);
        }
    }

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);
}
