using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Handouts;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Monitoring;

/// <summary>
/// The monthly monitoring meeting (the toolkit's Maintaining Balance row 6): the page a team projects, with the plan's
/// activities in the order to talk about them, what changed since the last meeting, check-ins recorded in the same pass,
/// and a dated PDF as the meeting's record. Its writes go through <see cref="PlanWriter"/> like the plan page's.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/monitoring")]
public sealed class MonitoringController(PagePdfWriter pdf) : DistrictControllerBase
{
    public const string PrintView = "~/Features/Monitoring/Print.cshtml";

    [HttpGet("")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(await PageAsync());

    [HttpPost("activities/{activityId:int}/check-ins")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> RecordCheckIn(int districtId, int cycleId, int activityId, CheckInForm form)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        var posted = new PlanPosted(CheckIn: form, ActivityId: activityId);
        if (!ModelState.IsValid) return View(nameof(Index), await PageAsync(posted));
        switch (await Writer().RecordCheckInAsync(Place(), activityId, form, CurrentUserId))
        {
            case PlanWriteResult.Saved:
                TempData["Status"] = "Check-in recorded.";
                return RedirectToAction(nameof(Index), null, new { districtId, cycleId }, $"activity-{activityId}");
            case PlanWriteResult.Refused refused:
                ModelState.AddModelError(refused.Field, refused.Message);
                return View(nameof(Index), await PageAsync(posted));
            default:
                return NotFound();
        }
    }

    [HttpPost("meetings")]
    [CyclePage(Section = "monitoring")]
    public async Task<IActionResult> RecordMeeting(int districtId, int cycleId)
    {
        if (!CurrentCycle.Permissions.CanBuildPlan) return Denied();
        await Writer().RecordMeetingAsync(Place(), CurrentUserId);
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

    private PlanWriter Writer() => new(Db, Clock);

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);

    private Task<MeetingPageModel> PageAsync(PlanPosted? posted = null) =>
        MeetingPage.BuildAsync(Db, CurrentCycle, ToolkitOf(CurrentCycle).Rubric.Rows.Select(r => new RubricRowOption(r.Key, r.Number, r.Label)).ToList(),
            Clock, posted);
}
