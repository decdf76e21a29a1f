using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// The cycle's plan in MICIP's words: goals, strategies under a goal, activities under a strategy, and the team's
/// check-ins on an activity. Everyone who sees the dashboard reads it; the district side builds it.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/plan")]
public sealed class PlanController(DistrictPageServices services, PlanWriter planWriter) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(await PageAsync());

    [HttpPost("goals")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddGoal(int districtId, int cycleId, GoalForm form) =>
        WriteAsync(new PlanPosted(Goal: form), writer => writer.AddGoalAsync(Place(), form, RubricRows().Select(r => r.Key).ToList(), CurrentUserId), "Goal added.");

    [HttpPost("goals/{goalId:int}/strategies")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddStrategy(int districtId, int cycleId, int goalId, StrategyForm form) =>
        WriteAsync(new PlanPosted(Strategy: form, GoalId: goalId), writer => writer.AddStrategyAsync(Place(), goalId, form, CurrentUserId), "Strategy added.");

    [HttpPost("strategies/{strategyId:int}/activities")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddActivity(int districtId, int cycleId, int strategyId, ActivityForm form) =>
        WriteAsync(new PlanPosted(Activity: form, StrategyId: strategyId), writer => writer.AddActivityAsync(Place(), strategyId, form, CurrentUserId), "Activity added.");

    [HttpPost("activities/{activityId:int}/check-ins")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordCheckIn(int districtId, int cycleId, int activityId, CheckInForm form) =>
        WriteAsync(new PlanPosted(CheckIn: form, ActivityId: activityId), writer => writer.RecordCheckInAsync(Place(), activityId, form, CurrentUserId), "Check-in recorded.");

    [HttpPost("goals/{goalId:int}/state")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> ChangeGoalState(int districtId, int cycleId, int goalId, GoalStateForm form) =>
        WriteAsync(new PlanPosted(GoalState: form, GoalId: goalId), writer => writer.ChangeGoalStateAsync(Place(), goalId, form), "Goal state changed.");

    [HttpPost("activities/{activityId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> EditActivity(int districtId, int cycleId, int activityId, ActivityEditForm form) =>
        WriteAsync(new PlanPosted(ActivityEdit: form, ActivityId: activityId), writer => writer.EditActivityAsync(Place(), activityId, form), "Activity updated.");

    [HttpPost("goals/{goalId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> EditGoal(int districtId, int cycleId, int goalId, GoalEditForm form) =>
        WriteAsync(new PlanPosted(GoalEdit: form, GoalId: goalId), writer => writer.EditGoalAsync(Place(), goalId, form), "Goal updated.");

    [HttpPost("strategies/{strategyId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> EditStrategy(int districtId, int cycleId, int strategyId, StrategyEditForm form) =>
        WriteAsync(new PlanPosted(StrategyEdit: form, StrategyId: strategyId), writer => writer.EditStrategyAsync(Place(), strategyId, form), "Strategy updated.");

    [HttpPost("strategies/{strategyId:int}/remove")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RemoveStrategy(int districtId, int cycleId, int strategyId, RemovalForm form) =>
        WriteAsync(new PlanPosted(Removal: form, RemovalOf: $"strategy-{strategyId}"), writer => writer.RemoveStrategyAsync(Place(), strategyId, form), "Strategy removed.");

    [HttpPost("activities/{activityId:int}/remove")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RemoveActivity(int districtId, int cycleId, int activityId, RemovalForm form) =>
        WriteAsync(new PlanPosted(Removal: form, RemovalOf: $"activity-{activityId}"), writer => writer.RemoveActivityAsync(Place(), activityId, form), "Activity removed.");

    [HttpPost("action-items/{actionId:int}/file")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> FileActionItem(int districtId, int cycleId, int actionId, FileActionItemForm form) =>
        WriteAsync(new PlanPosted(File: form, ActionItemId: actionId), writer => writer.FileActionItemAsync(Place(), actionId, form, CurrentUserId), "Action item filed in the plan.");

    [HttpPost("goals/{goalId:int}/measures")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddGoalMeasure(int districtId, int cycleId, int goalId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Goal, goalId), form);

    [HttpPost("strategies/{strategyId:int}/measures")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddStrategyMeasure(int districtId, int cycleId, int strategyId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Strategy, strategyId), form);

    [HttpPost("activities/{activityId:int}/measures")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddActivityMeasure(int districtId, int cycleId, int activityId, MeasureForm form) =>
        AddMeasureAsync(new MeasureOwner(MeasureOwnerKind.Activity, activityId), form);

    [HttpPost("measures/{measureId:int}/targets")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddInterimTarget(int districtId, int cycleId, int measureId, MeasureTargetForm form) =>
        WriteAsync(new PlanPosted(Target: form, MeasureId: measureId), writer => writer.AddInterimTargetAsync(Place(), measureId, form, CurrentUserId), "Interim target added.");

    [HttpPost("measures/{measureId:int}/phases")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> AddPhaseChange(int districtId, int cycleId, int measureId, MeasurePhaseForm form) =>
        WriteAsync(new PlanPosted(Phase: form, MeasureId: measureId), writer => writer.AddPhaseChangeAsync(Place(), measureId, form, CurrentUserId), "Change marked: the chart starts a new phase.");

    [HttpPost("measures/{measureId:int}/values")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordValue(int districtId, int cycleId, int measureId, MeasureValueForm form) =>
        WriteAsync(new PlanPosted(Value: form, MeasureId: measureId), writer => writer.RecordValueAsync(Place(), measureId, form, CurrentUserId), "Value recorded.");

    [HttpPost("measures/{measureId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> EditMeasure(int districtId, int cycleId, int measureId, MeasureEditForm form) =>
        WriteAsync(new PlanPosted(MeasureEdit: form, MeasureId: measureId), writer => writer.EditMeasureAsync(Place(), measureId, form), "Measure updated.");

    [HttpPost("measures/{measureId:int}/remove")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RemoveMeasure(int districtId, int cycleId, int measureId, RemovalForm form) =>
        WriteAsync(new PlanPosted(Removal: form, RemovalOf: $"measure-{measureId}"), writer => writer.RemoveMeasureAsync(Place(), measureId, form), "Measure removed.");

    /// <summary>
    /// A value's correction and removal forms, on a page of their own: the plan page links each value here instead of
    /// carrying two forms per value. Their refusals still show on the plan page, next to the value's row.
    /// </summary>
    [HttpGet("values/{valueId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Value(int districtId, int cycleId, int valueId)
    {
        var place = Place();
        var found = await Db.PlanMeasureValues.AsNoTracking()
            .Where(v => v.Id == valueId && v.CycleId == place.CycleId && v.DistrictId == place.DistrictId)
            .Select(v => new
            {
                v.Id, v.MeasureId, v.Date, v.Value, v.BuildingId, v.Note, v.Version,
                Measure = Db.PlanMeasures.Where(m => m.Id == v.MeasureId && m.ArchivedAt == null).Select(m => new { m.Name, m.Unit }).FirstOrDefault(),
                Building = Db.Buildings.Where(b => b.Id == v.BuildingId).Select(b => b.Name).FirstOrDefault(),
                By = Db.Users.NameOf(v.RecordedByUserId),
            }).SingleOrDefaultAsync();
        // An archived measure's values stay as they are (the plan page offers no correction for them either).
        if (found?.Measure is null) return NotFound();
        var buildings = await PlanReads.Buildings(Db, place.DistrictId).ToListAsync();
        var value = new MeasureValueView(found.Id, found.Date, found.Value, found.BuildingId, found.Building, found.Note, found.By, found.Version);
        return View(new ValueCorrectionPage(new ValueCorrectionModel(CurrentCycle, found.Measure.Name, found.Measure.Unit, value, buildings,
            Domain.Organisation.DistrictCalendar.Today(Clock, place.TimeZoneId), new PlanPosted(), OpenCorrection: true), found.MeasureId));
    }

    [HttpPost("values/{valueId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> CorrectValue(int districtId, int cycleId, int valueId, MeasureValueEditForm form) =>
        WriteAsync(new PlanPosted(ValueEdit: form, ValueId: valueId), writer => writer.CorrectValueAsync(Place(), valueId, form), "Value corrected.");

    [HttpPost("values/{valueId:int}/remove")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RemoveValue(int districtId, int cycleId, int valueId, RemovalForm form) =>
        WriteAsync(new PlanPosted(Removal: form, RemovalOf: $"value-{valueId}"), writer => writer.RemoveValueAsync(Place(), valueId, form), "Value removed.");

    private Task<IActionResult> AddMeasureAsync(MeasureOwner owner, MeasureForm form) =>
        WriteAsync(new PlanPosted(Measure: form, MeasureOwner: owner.Key), writer => writer.AddMeasureAsync(Place(), owner, form, CurrentUserId), "Measure added.");

    /// <summary>
    /// Every write of the page, once its attribute has required the plan's permission: the form's validator (refused: the page
    /// again with the form open under its record), then the one writer, whose answer becomes a redirect, a message next to a
    /// field, a 409 or a 404.
    /// </summary>
    private async Task<IActionResult> WriteAsync(PlanPosted posted, Func<PlanWriter, Task<PlanWriteResult>> write, string saved)
    {
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        return await AnswerAsync(await write(planWriter), posted, saved);
    }

    private async Task<IActionResult> AnswerAsync(PlanWriteResult result, PlanPosted posted, string saved)
    {
        switch (result)
        {
            case PlanWriteResult.Saved done:
                TempData["Status"] = done.Status ?? saved;
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


    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);

    private IReadOnlyList<RubricRowOption> RubricRows() =>
        ToolkitOf(CurrentCycle).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList();

    private Task<PlanPageModel> PageAsync(PlanPosted? posted = null) => PlanPage.BuildAsync(Db, CurrentCycle, RubricRows(), Clock, posted);
}
