using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Handouts;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Pdsa;

/// <summary>
/// PDSA cycles on the plan's activities: the lists per activity and per goal, each cycle's page with the form its stage
/// allows, and its filled worksheet. Everyone who reads the plan reads them; those who build the plan write them, through
/// the plan's writer.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/pdsa")]
public sealed class PdsaController(DistrictPageServices services, HandoutPdfWriter pdf) : DistrictControllerBase(services)
{
    [HttpGet("activities/{activityId:int}")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Activity(int districtId, int cycleId, int activityId) =>
        await PdsaPages.ActivityAsync(Db, CurrentCycle, activityId, null) is { } page ? View("List", page) : NotFound();

    [HttpGet("goals/{goalId:int}")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Goal(int districtId, int cycleId, int goalId) =>
        await PdsaPages.GoalAsync(Db, CurrentCycle, goalId) is { } page ? View("List", page) : NotFound();

    [HttpPost("activities/{activityId:int}")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Add(int districtId, int cycleId, int activityId, PdsaPlanForm form)
    {
        // The next cycle of a ramp is planned on its previous cycle's page; a refusal shows it there again.
        async Task<IActionResult> Again()
        {
            if (form.PreviousPdsaCycleId is { } previous && await PdsaPages.CycleAsync(Db, CurrentCycle, previous, new PdsaPosted(Next: form)) is { } cyclePage)
                return View("Cycle", cyclePage);
            return await PdsaPages.ActivityAsync(Db, CurrentCycle, activityId, form) is { } page ? View("List", page) : NotFound();
        }
        if (!ModelState.IsValid) return await Again();
        switch (await Writer().AddPdsaCycleAsync(Place(), activityId, form, CurrentUserId))
        {
            case PlanWriteResult.Saved saved:
                TempData["Status"] = "PDSA cycle planned.";
                return RedirectToAction(nameof(Cycle), new { districtId, cycleId, pdsaId = saved.Id });
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return await Again();
            default:
                return NotFound();
        }
    }

    [HttpGet("{pdsaId:int}")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Cycle(int districtId, int cycleId, int pdsaId) =>
        await PdsaPages.CycleAsync(Db, CurrentCycle, pdsaId, null) is { } page ? View(page) : NotFound();

    [HttpPost("{pdsaId:int}/plan")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> EditPlan(int districtId, int cycleId, int pdsaId, PdsaPlanEditForm form) =>
        WriteAsync(pdsaId, new PdsaPosted(Plan: form), writer => writer.EditPdsaPlanAsync(Place(), pdsaId, form), "Plan updated.");

    [HttpPost("{pdsaId:int}/do")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordDo(int districtId, int cycleId, int pdsaId, PdsaDoForm form) =>
        WriteAsync(pdsaId, new PdsaPosted(Do: form), writer => writer.RecordPdsaDoAsync(Place(), pdsaId, form), "What happened is recorded.");

    [HttpPost("{pdsaId:int}/study")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordStudy(int districtId, int cycleId, int pdsaId, PdsaStudyForm form) =>
        WriteAsync(pdsaId, new PdsaPosted(Study: form), writer => writer.RecordPdsaStudyAsync(Place(), pdsaId, form), "Study recorded.");

    [HttpPost("{pdsaId:int}/act")]
    [CyclePage(Section = "plan", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordAct(int districtId, int cycleId, int pdsaId, PdsaActForm form) =>
        WriteAsync(pdsaId, new PdsaPosted(Act: form), writer => writer.RecordPdsaActAsync(Place(), pdsaId, form), "Decision recorded.");

    [HttpGet("{pdsaId:int}/worksheet")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> Worksheet(int districtId, int cycleId, int pdsaId) =>
        await WorksheetAsync(pdsaId) is { } document ? View(HandoutPdfWriter.DocumentView, document) : NotFound();

    [HttpGet("{pdsaId:int}/worksheet.pdf")]
    [CyclePage(Section = "plan")]
    public async Task<IActionResult> WorksheetPdf(int districtId, int cycleId, int pdsaId) =>
        await WorksheetAsync(pdsaId) is { } document
            ? await pdf.ResultAsync(this, document, $"pdsa-worksheet-{pdsaId}.pdf", Url.Action(nameof(Worksheet), new { districtId, cycleId, pdsaId })!)
            : NotFound();

    private async Task<HandoutDocument?> WorksheetAsync(int pdsaId)
    {
        var cycle = CurrentCycle;
        if (await PdsaPages.CycleAsync(Db, cycle, pdsaId, null) is not { } page) return null;
        var header = await HandoutQueries.HeaderAsync(Db, cycle, Clock, HttpContext.RequestAborted);
        var filled = new PdsaWorksheet(page.Activity, page.Goal, page.Number, page.Pdsa,
            page.Charts.Select(c => c.Name).ToList());
        return new HandoutDocument(HandoutCatalog.PdsaWorksheet.Title, ToolkitOf(cycle), [new HandoutSection(HandoutCatalog.PdsaWorksheet, filled)], header,
            Url.Action(nameof(WorksheetPdf), new { districtId = cycle.DistrictId, cycleId = cycle.CycleId, pdsaId }),
            Url.Action(nameof(Cycle), new { districtId = cycle.DistrictId, cycleId = cycle.CycleId, pdsaId })!, "Back to the PDSA cycle");
    }

    /// <summary>
    /// Every stage's write, once its attribute has required the plan's permission: the form's validator (refused: the cycle's
    /// page again with the form and its messages), then the plan's writer, whose answer becomes a redirect, a message next to
    /// a field, a 409 or a 404.
    /// </summary>
    private async Task<IActionResult> WriteAsync(int pdsaId, PdsaPosted posted, Func<PlanWriter, Task<PlanWriteResult>> write, string saved)
    {
        if (!ModelState.IsValid) return await PageAsync(pdsaId, posted);
        switch (await write(Writer()))
        {
            case PlanWriteResult.Saved:
                TempData["Status"] = saved;
                return RedirectToAction(nameof(Cycle), new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId, pdsaId });
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return await PageAsync(pdsaId, posted);
            case PlanWriteResult.Conflict:
                this.AnswerConflict("Someone else changed this cycle while you were editing. The page shows their version; make your change again.");
                return await PageAsync(pdsaId, null);
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult> PageAsync(int pdsaId, PdsaPosted? posted) =>
        await PdsaPages.CycleAsync(Db, CurrentCycle, pdsaId, posted) is { } page ? View(nameof(Cycle), page) : NotFound();

    private PlanWriter Writer() => new(Db, Clock);

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);
}
