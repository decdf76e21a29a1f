using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// The participant page's autosave: a row's rating posted by its script to the row form's own address, answered in JSON
/// only (<c>{ saved, version, savedAt }</c> or a problem). The form post beside it (<see cref="JoinController"/>) answers pages.
/// </summary>
[Route("join")]
public sealed class ParticipantAutosaveController(ToolkitCatalog toolkits, RatingWriter ratings) : ParticipantControllerBase
{
    internal const string RatingClosedMessage = "Rating is not open right now: the facilitator opens Activity 2, and you need a group.";

    [HttpPost("workshop/rows/{rowKey}")]
    [SeatPage(Json = true)]
    [ScriptPost]
    public async Task<IActionResult> Rate(string rowKey, RatingForm form)
    {
        var seat = CurrentSeat;
        // The row (404), the open step (409) and a finalized rubric (409) answer before the form's own refusal.
        if (toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion).FindRubricRow(rowKey) is null) return NotFound();
        if (seat.Step != WorkshopStep.Activity2 || seat.GroupId is not { } groupId)
            return this.Refused(StatusCodes.Status409Conflict, "Not saved", RatingClosedMessage);
        var place = new RatingPlace(seat.DistrictId, seat.CycleId, groupId, seat.RubricFinalized);
        if (RatingWriter.RefusalAt(place) is not null) return RatingWriter.LockedProblem(this);
        if (!ModelState.IsValid) return ValidationProblem();
        var zone = TimeZones.Find(seat.TimeZoneId);
        return await ratings.SaveAsync(place, rowKey, form, seat.UserId) switch
        {
            RatingSaveResult.Saved saved => Json(RatingWriter.SavedJson(saved, zone)),
            RatingSaveResult.Conflict conflict => RatingWriter.ConflictProblem(this, conflict.Theirs, zone),
            _ => RatingWriter.LockedProblem(this),
        };
    }
}
