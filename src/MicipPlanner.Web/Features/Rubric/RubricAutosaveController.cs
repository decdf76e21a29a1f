using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>
/// The rubric page's autosave: a row's rating posted by its script to the row form's own address, answered in JSON only
/// (<c>{ saved, version, savedAt }</c> or a problem). The form post beside it (<see cref="RubricController"/>) answers pages.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/rubric")]
public sealed class RubricAutosaveController(DistrictPageServices services, RatingWriter ratings) : DistrictControllerBase(services)
{
    [HttpPost("groups/{groupId:int}/rows/{rowKey}")]
    [CyclePage]
    [ScriptPost]
    public async Task<IActionResult> Save(int districtId, int cycleId, int groupId, string rowKey, RatingForm form)
    {
        var cycle = CurrentCycle;
        // The row (404), the permission (403) and a finalized rubric (409) answer before the form's own refusal.
        if (ToolkitOf(cycle).FindRubricRow(rowKey) is null || !await GroupOfCycle(Db, groupId, cycleId)) return NotFound();
        if (!cycle.Permissions.CanRateRubric) return Denied();
        var place = new RatingPlace(districtId, cycleId, groupId, cycle.IsRubricFinalized);
        if (RatingWriter.RefusalAt(place) is not null) return RatingWriter.LockedProblem(this);
        if (!ModelState.IsValid) return ValidationProblem();
        return await ratings.SaveAsync(place, rowKey, form, CurrentUserId) switch
        {
            RatingSaveResult.Saved saved => Json(RatingWriter.SavedJson(saved, cycle.District.TimeZone)),
            RatingSaveResult.Conflict conflict => RatingWriter.ConflictProblem(this, conflict.Theirs, cycle.District.TimeZone),
            _ => RatingWriter.LockedProblem(this),
        };
    }

    // Compiled once: the autosave runs it for every keystroke pause of every person rating.
    internal static readonly Func<AppDbContext, int, int, Task<bool>> GroupOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int groupId, int cycleId) => db.RatingGroups.Any(g => g.Id == groupId && g.CycleId == cycleId));
}
