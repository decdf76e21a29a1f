using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// The cycle's plan in MICIP's words: goals, strategies under a goal, activities under a strategy, and the team's
/// check-ins on an activity. Everyone who sees the dashboard reads it; the district side builds it.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/plan")]
public sealed class PlanController : DistrictControllerBase
{
    [HttpGet("")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(await PageAsync());

    [HttpPost("goals")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> AddGoal(int districtId, int cycleId, GoalForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Goal: form);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        var rows = RubricRows().Select(r => r.Key).ToList();
        return await AnswerAsync(await Writer().AddGoalAsync(Place(), form, rows, CurrentUserId), posted, "Goal added.");
    }

    [HttpPost("goals/{goalId:int}/strategies")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> AddStrategy(int districtId, int cycleId, int goalId, StrategyForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Strategy: form, GoalId: goalId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().AddStrategyAsync(Place(), goalId, form, CurrentUserId), posted, "Strategy added.");
    }

    [HttpPost("strategies/{strategyId:int}/activities")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> AddActivity(int districtId, int cycleId, int strategyId, ActivityForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Activity: form, StrategyId: strategyId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().AddActivityAsync(Place(), strategyId, form, CurrentUserId), posted, "Activity added.");
    }

    [HttpPost("activities/{activityId:int}/check-ins")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> RecordCheckIn(int districtId, int cycleId, int activityId, CheckInForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(CheckIn: form, ActivityId: activityId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().RecordCheckInAsync(Place(), activityId, form, CurrentUserId), posted, "Check-in recorded.");
    }

    [HttpPost("goals/{goalId:int}/state")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> ChangeGoalState(int districtId, int cycleId, int goalId, GoalStateForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(GoalState: form, GoalId: goalId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().ChangeGoalStateAsync(Place(), goalId, form), posted, "Goal state changed.");
    }

    [HttpPost("activities/{activityId:int}")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> EditActivity(int districtId, int cycleId, int activityId, ActivityEditForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(ActivityEdit: form, ActivityId: activityId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().EditActivityAsync(Place(), activityId, form), posted, "Activity updated.");
    }

    [HttpPost("action-items/{actionId:int}/file")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> FileActionItem(int districtId, int cycleId, int actionId, FileActionItemForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(File: form, ActionItemId: actionId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().FileActionItemAsync(Place(), actionId, form, CurrentUserId), posted, "Action item filed in the plan.");
    }

    [HttpPost("goals/{goalId:int}/measures")]
    [CyclePage(Section = "plan")]
    public Task<IActionResult> AddGoalMeasure(int districtId, int cycleId, int goalId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Goal, goalId), form);

    [HttpPost("strategies/{strategyId:int}/measures")]
    [CyclePage(Section = "plan")]
    public Task<IActionResult> AddStrategyMeasure(int districtId, int cycleId, int strategyId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Strategy, strategyId), form);

    [HttpPost("activities/{activityId:int}/measures")]
    [CyclePage(Section = "plan")]
    public Task<IActionResult> AddActivityMeasure(int districtId, int cycleId, int activityId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Activity, activityId), form);

    [HttpPost("measures/{measureId:int}/targets")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> AddInterimTarget(int districtId, int cycleId, int measureId, MeasureTargetForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Target: form, MeasureId: measureId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().AddInterimTargetAsync(Place(), measureId, form, CurrentUserId), posted, "Interim target added.");
    }

    [HttpPost("measures/{measureId:int}/phases")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> AddPhaseChange(int districtId, int cycleId, int measureId, MeasurePhaseForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Phase: form, MeasureId: measureId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().AddPhaseChangeAsync(Place(), measureId, form, CurrentUserId), posted, "Change marked: the chart starts a new phase.");
    }

    [HttpPost("measures/{measureId:int}/values")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> RecordValue(int districtId, int cycleId, int measureId, MeasureValueForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Value: form, MeasureId: measureId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().RecordValueAsync(Place(), measureId, form, CurrentUserId), posted, "Value recorded.");
    }

    private async Task<IActionResult> AddMeasureAsync(MeasureOwner owner, MeasureForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(Measure: form, MeasureOwner: owner.Key);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await Writer().AddMeasureAsync(Place(), owner, form, CurrentUserId), posted, "Measure added.");
    }

    private async Task<IActionResult> AnswerAsync(PlanWriteResult result, PlanPosted posted, string saved)
    {
        switch (result)
        {
            case PlanWriteResult.Saved:
                TempData["Status"] = saved;
                return RedirectToAction(nameof(Index), new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId });
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return View(nameof(Index), await PageAsync(posted));
            case PlanWriteResult.Conflict:
                // The page shows the other person's version; the form is not filled again with this one.
                this.AnswerConflict("Someone else changed this while you were editing. The page shows their version; make your change again.");
                return View(nameof(Index), await PageAsync());
            default:
                return NotFound();
        }
    }

    private PlanWriter Writer() => new(Db, Clock);

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);

    private IReadOnlyList<RubricRowOption> RubricRows() =>
        ToolkitOf(CurrentCycle).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList();

    private Task<PlanPageModel> PageAsync(PlanPosted? posted = null) => PlanPage.BuildAsync(Db, CurrentCycle, RubricRows(), Clock, posted);
}
