using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Evaluation;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Workshops;

public sealed record WorkshopEvaluationPage(Seat Seat, string SchoolYear, EvaluatedGoals Evaluation);

/// <summary>
/// The year-end evaluation as a workshop step, the participant's side: while the facilitator has the Evaluation step open,
/// a seat reads the cycle's goals with their figures and saves a goal's evaluation through the plan's writer, as the team's
/// page does (version check, audit naming the workshop, data version). At any other step the page sends the seat back to
/// the open step and a save is refused, as the other steps' saves are.
/// </summary>
[Route("join/workshop/evaluation")]
public sealed class WorkshopEvaluationController(AppDbContext db, PlanWriter planWriter, ToolkitCatalog toolkits, TimeProvider clock)
    : ParticipantControllerBase
{
    private const string Page = "Evaluation";
    private const string NotOpen = "The evaluation is not open right now: the facilitator opens it as a step of the workshop.";

    [HttpGet("")]
    [SeatPage]
    public async Task<IActionResult> Index()
    {
        var seat = CurrentSeat;
        if (seat.Step != WorkshopStep.Evaluation) return ToOpenStep();
        return View(Page, await BuildAsync(seat, null));
    }

    /// <summary>
    /// The evaluation page's one request when the seat's live connection says something changed: 204 while the step, the
    /// group and the cycle's evaluations (as others saved them since <paramref name="since"/>, Unix milliseconds) stand;
    /// otherwise the open step and group, and whether to show the page again.
    /// </summary>
    [HttpGet("poll")]
    [SeatPage(Json = true)]
    public async Task<IActionResult> Poll(string? step, int? group, long since)
    {
        var seat = CurrentSeat;
        var moved = !string.Equals(step, seat.Step.ToString(), StringComparison.Ordinal) || group != seat.GroupId;
        var after = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, since));
        var saved = !moved && seat.Step == WorkshopStep.Evaluation
            && await db.GoalEvaluations.AnyAsync(e => e.CycleId == seat.CycleId && e.UpdatedAt > after && e.UpdatedByUserId != seat.UserId);
        if (!moved && !saved) return NoContent();
        return Json(new { step = seat.Step.ToString(), group = seat.GroupId, refresh = saved });
    }

    [HttpPost("goals/{goalId:int}")]
    [SeatPage]
    public async Task<IActionResult> Save(int goalId, GoalEvaluationForm form)
    {
        var seat = CurrentSeat;
        if (seat.Step != WorkshopStep.Evaluation)
        {
            // As the other steps' saves: the message, and back to the step that is open.
            TempData["Status"] = NotOpen;
            return ToOpenStep();
        }
        if (!ModelState.IsValid) return View(Page, await BuildAsync(seat, (goalId, form)));
        switch (await planWriter.SaveGoalEvaluationAsync(new CyclePlace(seat.DistrictId, seat.CycleId, seat.TimeZoneId), goalId, form, seat.UserId))
        {
            case PlanWriteResult.Saved:
                TempData["Status"] = "Evaluation saved.";
                return Redirect(Url.Action(nameof(Index)) + $"#goal-{goalId}");
            case PlanWriteResult.Conflict:
                this.AnswerConflict("Someone else saved this goal's evaluation while you were editing. The page shows their version; make your change again.");
                return View(Page, await BuildAsync(seat, null));
            default:
                return NotFound();
        }
    }

    private IActionResult ToOpenStep() => RedirectToAction(nameof(JoinController.Participate), "Join");

    private async Task<WorkshopEvaluationPage> BuildAsync(Seat seat, (int, GoalEvaluationForm)? posted)
    {
        var startYear = await db.Cycles.Where(c => c.Id == seat.CycleId).Select(c => c.StartYear).SingleAsync();
        var rows = toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList();
        var goals = await EvaluationPages.GoalsAsync(db, new EvaluatedCycle(seat.DistrictId, seat.CycleId, startYear, seat.TimeZoneId), rows, clock, posted);
        return new WorkshopEvaluationPage(seat, SchoolYears.Format(startYear), goals);
    }
}
