using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Web.Features.Balance;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Notifications;
using MicipPlanner.Web.Features.Plan;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Reports;

/// <summary>
/// Building monitoring reports (the toolkit's building function of Monitoring): the district sets the periods and the
/// measures buildings report; each building team reports per period; the district team returns or accepts the report through
/// the review workflow of the templates. The desk's review queue posts its return and accept here too.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/reports")]
public sealed class BuildingReportsController(DistrictPageServices services, Notifier notifier, BuildingReportWriter reports) : DistrictControllerBase(services)
{

    private const string IndexView = "Index";

    [HttpGet("")]
    [CyclePage(Section = "reports")]
    public async Task<IActionResult> Index(int districtId, int cycleId) => View(IndexView, await IndexModelAsync(null));

    [HttpPost("periods")]
    [CyclePage(Section = "reports", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> AddPeriod(int districtId, int cycleId, PeriodForm form)
    {
        if (!ModelState.IsValid) return View(IndexView, await IndexModelAsync(form));
        await reports.AddPeriodAsync(Place(), form, CurrentUserId);
        TempData["Status"] = $"Monitoring period “{FormText.Clean(form.Name)}” added.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    /// <summary>One period's page: its edit form, and its removal or why it stays.</summary>
    [HttpGet("periods/{periodId:int}")]
    [CyclePage(Section = "reports", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> Period(int districtId, int cycleId, int periodId)
    {
        return await PeriodPageAsync(periodId, null, null) is { } page ? View(PeriodPageModel.ViewName, page) : NotFound();
    }

    [HttpPost("periods/{periodId:int}")]
    [CyclePage(Section = "reports", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> EditPeriod(int districtId, int cycleId, int periodId, PeriodEditForm form)
    {
        var result = ModelState.IsValid ? await reports.EditPeriodAsync(Place(), periodId, form) : null;
        switch (result)
        {
            case ReportWriteResult.Saved:
                TempData["Status"] = $"Monitoring period “{FormText.Clean(form.Name)}” saved.";
                return RedirectToAction(nameof(Index), new { districtId, cycleId });
            case ReportWriteResult.Conflict:
                // The page shows the other person's version; the form is not filled again with this one.
                this.AnswerConflict("Someone else changed this period while you were editing. The page shows their version; make your change again.");
                return await PeriodAgainAsync(periodId, null, null);
            case ReportWriteResult.NotFound:
                return NotFound();
            default:
                return await PeriodAgainAsync(periodId, form, null);
        }
    }

    [HttpPost("periods/{periodId:int}/remove")]
    [CyclePage(Section = "reports", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> RemovePeriod(int districtId, int cycleId, int periodId, PeriodRemovalForm form)
    {
        var result = ModelState.IsValid ? await reports.RemovePeriodAsync(Place(), periodId, form) : null;
        switch (result)
        {
            case ReportWriteResult.Saved:
                TempData["Status"] = form.Drafts == 0 ? "Monitoring period removed."
                    : $"Monitoring period removed, with {PeriodRemoval.Drafts(form.Drafts)}.";
                return RedirectToAction(nameof(Index), new { districtId, cycleId });
            case ReportWriteResult.Refused refused:
                // The page now says why the period stays, beside its unavailable button.
                Response.StatusCode = refused.Status;
                ModelState.AddModelError("", refused.Reason);
                return await PeriodAgainAsync(periodId, null, null);
            case ReportWriteResult.Conflict:
                this.AnswerConflict("The period or its reports changed since you opened it (a building may have started a report). Check what goes with it and confirm again.");
                return await PeriodAgainAsync(periodId, null, null);
            case ReportWriteResult.NotFound:
                return NotFound();
            default:
                return await PeriodAgainAsync(periodId, null, form);
        }
    }

    private async Task<IActionResult> PeriodAgainAsync(int periodId, PeriodEditForm? edit, PeriodRemovalForm? removal) =>
        await PeriodPageAsync(periodId, edit, removal) is { } page ? View(PeriodPageModel.ViewName, page) : NotFound();

    private async Task<PeriodPageModel?> PeriodPageAsync(int periodId, PeriodEditForm? edit, PeriodRemovalForm? removal)
    {
        var cycle = CurrentCycle;
        var period = await Db.MonitoringPeriods.AsNoTracking().Where(p => p.Id == periodId && p.CycleId == cycle.CycleId && p.DistrictId == cycle.DistrictId)
            .Select(p => new { p.Id, p.Name, p.DueDate, p.Version, States = Db.BuildingReports.Where(r => r.PeriodId == p.Id).Select(r => r.State).ToList() })
            .SingleOrDefaultAsync();
        if (period is null) return null;
        return new PeriodPageModel(cycle, period.Id, period.Name, period.DueDate, period.Version,
            period.States.Count(s => s == TemplateState.Draft), period.States.Count(s => s != TemplateState.Draft),
            edit ?? new PeriodEditForm { Name = period.Name, DueDate = period.DueDate, Version = period.Version }, edit is not null, removal is not null);
    }

    [HttpPost("measures")]
    [CyclePage(Section = "reports", Requires = Permission.BuildPlan)]
    public async Task<IActionResult> SetMeasures(int districtId, int cycleId, ReportedMeasuresForm form)
    {
        if (ModelState.IsValid && await reports.SetReportedMeasuresAsync(Place(), form) is ReportWriteResult.Invalid invalid)
            ModelState.AddModelError(invalid.Field, invalid.Message);
        if (!ModelState.IsValid) return View(IndexView, await IndexModelAsync(null));
        TempData["Status"] = "The measures buildings report are saved.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    [HttpGet("periods/{periodId:int}/buildings/{buildingId:int}")]
    [CyclePage(Section = "reports")]
    public async Task<IActionResult> Report(int districtId, int cycleId, int periodId, int buildingId)
    {
        if (await ScopeAsync(periodId, buildingId) is not { } scope) return NotFound();
        return View(ReportPage.ViewName, await PageAsync(scope, null, []));
    }

    [HttpPost("periods/{periodId:int}/buildings/{buildingId:int}")]
    [CyclePage(Section = "reports")]
    public async Task<IActionResult> Save(int districtId, int cycleId, int periodId, int buildingId, BuildingReportForm form)
    {
        if (await ScopeAsync(periodId, buildingId) is not { } scope) return NotFound();
        if (!CurrentCycle.Permissions.CanEditBuildingTemplate(buildingId)) return Denied();
        if (!ModelState.IsValid) return View(ReportPage.ViewName, await PageAsync(scope, form, []));
        switch (await reports.SaveAsync(Place(), scope, form))
        {
            case ReportWriteResult.Saved:
                TempData["Status"] = "Saved as a draft. Submit it when it is complete.";
                return RedirectToAction(nameof(Report), new { districtId, cycleId, periodId, buildingId });
            case ReportWriteResult.Invalid invalid:
                ModelState.AddModelError(invalid.Field, invalid.Message);
                return View(ReportPage.ViewName, await PageAsync(scope, form, []));
            case ReportWriteResult.Refused refused:
                return await RefuseAsync(scope, refused.Status, refused.Reason, refused.Missing);
            default:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", "Someone else saved this report while you were editing. Your entries are still in the form; check the timeline and save again to keep yours.");
                return View(ReportPage.ViewName, await PageAsync(scope, form, []));
        }
    }

    [HttpPost("periods/{periodId:int}/buildings/{buildingId:int}/submit")]
    [CyclePage(Section = "reports")]
    public async Task<IActionResult> Submit(int districtId, int cycleId, int periodId, int buildingId, ReviewForm form)
    {
        if (await ScopeAsync(periodId, buildingId) is not { } scope) return NotFound();
        if (!await MaySubmitAsync(buildingId)) return Denied();
        var result = await reports.MoveAsync(Place(), scope, TemplateAction.Submit, "", form.Version, CurrentUserId);
        if (result is ReportWriteResult.Refused refused) return await RefuseAsync(scope, refused.Status, refused.Reason, refused.Missing);
        if (result is not ReportWriteResult.Saved)
            return await RefuseAsync(scope, StatusCodes.Status409Conflict, "The report changed while you were submitting (or was already submitted). Check it and submit again if needed.", []);
        await notifier.ToDistrictSideAsync(districtId, $"{scope.BuildingName} submitted its {scope.PeriodName} monitoring report for {CurrentCycle.SchoolYear}.",
            ReportLink(scope), CurrentUserId);
        TempData["Status"] = "Submitted to the district CI team. The report is read-only while the district reviews it.";
        return RedirectToAction(nameof(Report), new { districtId, cycleId, periodId, buildingId });
    }

    [HttpPost("periods/{periodId:int}/buildings/{buildingId:int}/return")]
    [CyclePage(Section = "reports")]
    public Task<IActionResult> Return(int districtId, int cycleId, int periodId, int buildingId, ReviewForm form) =>
        ReviewAsync(periodId, buildingId, TemplateAction.Return, form);

    [HttpPost("periods/{periodId:int}/buildings/{buildingId:int}/accept")]
    [CyclePage(Section = "reports")]
    public Task<IActionResult> Accept(int districtId, int cycleId, int periodId, int buildingId, ReviewForm form) =>
        ReviewAsync(periodId, buildingId, TemplateAction.Accept, form);

    private async Task<IActionResult> ReviewAsync(int periodId, int buildingId, TemplateAction action, ReviewForm form)
    {
        if (await ScopeAsync(periodId, buildingId) is not { } scope) return NotFound();
        if (!CurrentCycle.Permissions.CanReviewTemplates) return Denied();
        if (!ModelState.IsValid) return await RefuseAsync(scope, StatusCodes.Status400BadRequest, null, []);
        var comment = FormText.Clean(form.Comment);
        var result = await reports.MoveAsync(Place(), scope, action, comment, form.Version, CurrentUserId);
        if (result is ReportWriteResult.Refused refused)
        {
            // The missing comment is said next to the comment field, as on the template page.
            if (action == TemplateAction.Return && refused.Status == StatusCodes.Status400BadRequest)
            {
                ModelState.AddModelError(nameof(ReviewForm.Comment), refused.Reason);
                return await RefuseAsync(scope, StatusCodes.Status400BadRequest, null, []);
            }
            return await RefuseAsync(scope, refused.Status, refused.Reason, []);
        }
        if (result is not ReportWriteResult.Saved)
            return await RefuseAsync(scope, StatusCodes.Status409Conflict, "The report changed since you opened it (the building may have resubmitted it). Review the current version.", []);
        var verb = action == TemplateAction.Accept ? "accepted" : "returned";
        await notifier.ToBuildingTeamAsync(CurrentCycle.DistrictId, buildingId,
            $"The district team {verb} the {scope.BuildingName} {scope.PeriodName} monitoring report for {CurrentCycle.SchoolYear}"
            + (comment.Length > 0 ? $": “{(comment.Length <= 140 ? comment : comment[..139] + "…")}”" : "."),
            ReportLink(scope), CurrentUserId);
        TempData["Status"] = action == TemplateAction.Accept
            ? $"{scope.BuildingName}'s {scope.PeriodName} report is accepted."
            : $"{scope.BuildingName}'s {scope.PeriodName} report was returned to the building with your comment.";
        // The desk's queue posts here too (ADR 14); a fixed value, never a URL.
        if (form.ReturnTo == "desk") return RedirectToAction("Index", "Desk", null, "queue");
        return RedirectToAction(nameof(Index), new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId });
    }

    /// <summary>The period and building when both are the cycle's and the person may see the building's reports; else null (404).</summary>
    private async Task<ReportScope?> ScopeAsync(int periodId, int buildingId) =>
        CurrentCycle.Permissions.CanViewBuildingTemplate(buildingId) ? await ReportScope.LoadAsync(Db, CurrentCycle, periodId, buildingId) : null;

    /// <summary>Who may submit follows the district's rule for templates: any building member, or the building leader only.</summary>
    private Task<bool> MaySubmitAsync(int buildingId) =>
        new TemplatePage(Db, CurrentCycle, ToolkitOf(CurrentCycle), CurrentUserId).MaySubmitAsync(buildingId);

    /// <summary>The page carries the stored version: after a conflict, saving again keeps the entries shown.</summary>
    private async Task<ReportPageModel> PageAsync(ReportScope scope, BuildingReportForm? posted, IReadOnlyList<string> missing)
    {
        var maySubmit = CurrentCycle.Permissions.CanEditBuildingTemplate(scope.BuildingId) && await MaySubmitAsync(scope.BuildingId);
        return await new ReportPage(Db, CurrentCycle).BuildAsync(scope, posted, missing, maySubmit);
    }

    private async Task<IActionResult> RefuseAsync(ReportScope scope, int status, string? reason, IReadOnlyList<string> missing)
    {
        Response.StatusCode = status;
        if (reason is not null) ModelState.AddModelError("", reason);
        return View(ReportPage.ViewName, await PageAsync(scope, null, missing));
    }

    private async Task<ReportsIndexModel> IndexModelAsync(PeriodForm? postedPeriod)
    {
        var cycle = CurrentCycle;
        var isDistrictSide = cycle.Permissions.CanSeeDistrictReports;
        var own = cycle.Permissions.Actor.BuildingIds;
        var buildings = await Db.Buildings.AsNoTracking().Where(b => b.DistrictId == cycle.DistrictId && (isDistrictSide || own.Contains(b.Id)))
            .OrderBy(b => b.Name).Select(b => new { b.Id, b.Name }).ToListAsync();
        var periods = await Db.MonitoringPeriods.AsNoTracking().Where(p => p.CycleId == cycle.CycleId)
            .OrderBy(p => p.DueDate).ThenBy(p => p.Id).Select(p => new { p.Id, p.Name, p.DueDate }).ToListAsync();
        var reports = await Db.BuildingReports.AsNoTracking().Where(r => r.CycleId == cycle.CycleId)
            .Select(r => new { r.PeriodId, r.BuildingId, r.State, r.SubmittedAt }).ToListAsync();
        var measures = cycle.Permissions.CanBuildPlan
            ? await Db.PlanMeasures.AsNoTracking().Where(m => m.CycleId == cycle.CycleId && m.ArchivedAt == null).OrderBy(m => m.Id)
                .Select(m => new MeasureChoice(m.Id, m.Name, m.Kind, Db.ReportedMeasures.Any(r => r.MeasureId == m.Id))).ToListAsync()
            : [];
        var rows = periods.Select(p => new PeriodRow(p.Id, p.Name, p.DueDate, buildings.Select(b =>
        {
            var report = reports.FirstOrDefault(r => r.PeriodId == p.Id && r.BuildingId == b.Id);
            return new PeriodCell(b.Id, b.Name, report?.State, report?.SubmittedAt);
        }).ToList())).ToList();
        return new ReportsIndexModel(cycle, rows, measures, cycle.Permissions.CanBuildPlan, isDistrictSide,
            DistrictCalendar.Today(Clock.GetUtcNow(), cycle.District.TimeZoneId), postedPeriod);
    }

    private CyclePlace Place() => new(CurrentCycle.DistrictId, CurrentCycle.CycleId, CurrentCycle.District.TimeZoneId);

    /// <summary>Where a notice about a report sends its reader (stored with the notice).</summary>
    private string ReportLink(ReportScope scope) =>
        Url.Action(nameof(Report), new { districtId = CurrentCycle.DistrictId, cycleId = CurrentCycle.CycleId, periodId = scope.PeriodId, buildingId = scope.BuildingId })!;
}
