using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Monitoring;

/// <summary>
/// The monthly monitoring meeting (the toolkit's Maintaining Balance row 6): the page a team projects, with the plan's
/// activities in the order to talk about them, what changed since the last meeting, check-ins recorded in the same pass,
/// and a dated PDF as the meeting's record. Its writes go through <see cref="PlanWriter"/> like the plan page's.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/monitoring")]
public sealed class MonitoringController(DistrictPageServices services, PagePdfWriter pdf, PlanWriter planWriter, KeptRunCharts keptCharts) : DistrictControllerBase(services)
{
    public const string PrintView = "Print";

    [HttpGet("")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(await PageAsync());

    /// <summary>
    /// One activity's check-in on a page of its own: where the meeting's "Record check-in" leads without the page's script
    /// (with it, the meeting's one check-in form opens under the activity instead).
    /// </summary>
    [HttpGet("activities/{activityId:int}/check-in")]
    [CyclePage(Section = "monitoring", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> CheckIn(int districtId, int cycleId, int activityId)
    {
        return await CheckInPageAsync(activityId, null) is { } page ? View(page) : NotFound();
    }

    /// <summary>
    /// A check-in recorded at the meeting. A plain form post (from the activity's check-in page) comes back to the activity on
    /// the meeting page; the meeting's script posts to the same address for JSON (<see cref="MeetingScriptController"/>).
    /// </summary>
    [HttpPost("activities/{activityId:int}/check-ins")]
    [CyclePage(Section = "monitoring", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordCheckIn(int districtId, int cycleId, int activityId, CheckInForm form) =>
        WriteAsync(writer => writer.RecordCheckInAsync(Place(), activityId, form, CurrentUserId), "Check-in recorded.", $"activity-{activityId}",
            async () => await CheckInPageAsync(activityId, form) is { } page ? View(nameof(CheckIn), page) : NotFound());

    /// <summary>One measure's value on a page of its own, as the activity's check-in.</summary>
    [HttpGet("measures/{measureId:int}/value")]
    [CyclePage(Section = "monitoring", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Value(int districtId, int cycleId, int measureId)
    {
        return await ValuePageAsync(measureId, null) is { } page ? View(page) : NotFound();
    }

    /// <summary>A measure's value recorded at the meeting, answered like a check-in.</summary>
    [HttpPost("measures/{measureId:int}/values")]
    [CyclePage(Section = "monitoring", Requires = Permission.BuildPlan)]
    public Task<IActionResult> RecordValue(int districtId, int cycleId, int measureId, MeasureValueForm form) =>
        WriteAsync(writer => writer.RecordValueAsync(Place(), measureId, form, CurrentUserId), "Value recorded.", $"meeting-measure-{measureId}",
            async () => await ValuePageAsync(measureId, form) is { } page ? View(nameof(Value), page) : NotFound());

    /// <summary>
    /// Polled by the meeting page (ADR 7): every write in the district raises its data version, which the permission check
    /// reads anyway, so an unchanged version is answered without another query. A changed one sends the page for its sections.
    /// </summary>
    [HttpGet("state")]
    [CyclePage]
    public IActionResult State(int districtId, int cycleId, long? v)
    {
        var version = CurrentCycle.District.DataVersion;
        return Json(new { unchanged = v == version, v = version });
    }

    /// <summary>The meeting's sections (what changed, measures, activities) as the page shows them, for the page to swap in.</summary>
    [HttpGet("sections")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> Sections(int districtId, int cycleId) => PartialView("_Meeting", await PageAsync());

    [HttpPost("meetings")]
    [CyclePage(Section = "monitoring", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> RecordMeeting(int districtId, int cycleId)
    {
        await planWriter.RecordMeetingAsync(Place(), CurrentUserId);
        TempData["Status"] = "Today's meeting is recorded. The next meeting shows what changed since now.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    [HttpGet("meeting.pdf")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> Pdf(int districtId, int cycleId)
    {
        var page = await PageAsync();
        var name = $"monitoring-meeting-{page.Today:yyyy-MM-dd}.pdf";
        return await pdf.ResultAsync(this, PrintView, page with { ForPrint = true }, landscape: false, name,
            Url.Action(nameof(Index), new { districtId, cycleId })!);
    }

    /// <summary>
    /// The meeting's writes, through <see cref="PlanWriter"/> like the plan page's: the permission (on the action's attribute),
    /// the form's validator, the writer; a refusal shows next to its field on the page shown again.
    /// </summary>
    private async Task<IActionResult> WriteAsync(Func<PlanWriter, Task<PlanWriteResult>> write, string saved, string fragment,
        Func<Task<IActionResult>> showAgain)
    {
        if (!ModelState.IsValid) return await showAgain();
        switch (await write(planWriter))
        {
            case PlanWriteResult.Saved done:
                TempData["Status"] = done.Status ?? saved;
                return RedirectToAction(nameof(Index), null, new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId }, fragment);
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return await showAgain();
            default:
                return NotFound();
        }
    }


    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);

    private Task<MeetingPageModel> PageAsync() =>
        MeetingPage.BuildAsync(Db, CurrentCycle, ToolkitOf(CurrentCycle).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList(),
            Clock, keptCharts);

    private Task<MeetingCheckInPage?> CheckInPageAsync(int activityId, CheckInForm? posted) =>
        MeetingRecordPages.CheckInAsync(Db, CurrentCycle, activityId, posted, Clock);

    private Task<MeetingValuePage?> ValuePageAsync(int measureId, MeasureValueForm? posted) =>
        MeetingRecordPages.ValueAsync(Db, CurrentCycle, measureId, posted, Clock);
}
