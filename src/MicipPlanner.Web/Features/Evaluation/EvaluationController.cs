using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Evaluation;

/// <summary>
/// The year-end evaluation of the cycle's goals (MICIP's Evaluate stage) and next year's plan made from its decisions.
/// Everyone who reads the plan reads them; those who build the plan write them, through the plan's writer.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/evaluation")]
public sealed class EvaluationController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(await PageAsync(null));

    [HttpPost("goals/{goalId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Save(int districtId, int cycleId, int goalId, GoalEvaluationForm form)
    {
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync((goalId, form)));
        switch (await Writer().SaveGoalEvaluationAsync(Place(), goalId, form, CurrentUserId))
        {
            case PlanWriteResult.Saved:
                TempData["Status"] = "Evaluation saved.";
                return Redirect(Url.Action(nameof(Index), new { districtId, cycleId }) + $"#goal-{goalId}");
            case PlanWriteResult.Conflict:
                this.AnswerConflict("Someone else saved this goal's evaluation while you were editing. The page shows their version; make your change again.");
                return View(nameof(Index), await PageAsync(null));
            default:
                return NotFound();
        }
    }

    [HttpGet("carry-over")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> CarryOver(int districtId, int cycleId) => View(await EvaluationPages.CarryOverAsync(Db, CurrentCycle));

    [HttpPost("carry-over")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Carry(int districtId, int cycleId, CarryOverForm form)
    {
        var page = await EvaluationPages.CarryOverAsync(Db, CurrentCycle);
        if (!ModelState.IsValid) return View(nameof(CarryOver), page);
        switch (await Writer().CarryGoalsOverAsync(Place(), CurrentCycle.StartYear, form, CurrentUserId))
        {
            case PlanWriteResult.Saved saved:
                TempData["Status"] = saved.Status;
                return RedirectToAction(nameof(Index), "Plan", new { districtId, cycleId });
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return View(nameof(CarryOver), page);
            default:
                return NotFound();
        }
    }

    private Task<EvaluationPageModel> PageAsync((int, GoalEvaluationForm)? posted) =>
        EvaluationPages.BuildAsync(Db, CurrentCycle,
            ToolkitOf(CurrentCycle).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList(), Clock, posted);

    private PlanWriter Writer() => new(Db, Clock);

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);
}
