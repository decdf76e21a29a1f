using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Plan;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Reports;

/// <summary>What became of a write to a building report or to the district's monitoring settings.</summary>
public abstract record ReportWriteResult
{
    public sealed record Saved(int Id) : ReportWriteResult;

    /// <summary>The period, building, measure or activity named is not this cycle's.</summary>
    public sealed record NotFound : ReportWriteResult;

    /// <summary>A field's value the form's validator could not judge (a percent over 100, …): shown next to the field.</summary>
    public sealed record Invalid(string Field, string Message) : ReportWriteResult;

    /// <summary>The workflow refuses the step (already submitted, not yet complete …): the page says why and what is missing.</summary>
    public sealed record Refused(int Status, string Reason, IReadOnlyList<string> Missing) : ReportWriteResult;

    /// <summary>Someone else saved the report since the page was shown: nothing of this write was kept.</summary>
    public sealed record Conflict : ReportWriteResult;
}

/// <summary>
/// The one write path of monitoring periods, reported measures and building reports. The report's states follow the review
/// workflow of the templates (<see cref="ReviewWorkflow"/>); the save pipeline writes the audit trail and raises the district's
/// data version. Permissions are the caller's check.
/// </summary>
public sealed class BuildingReportWriter(AppDbContext db, TimeProvider clock, PlanWriter plan)
{
    public async Task<ReportWriteResult> AddPeriodAsync(CyclePlace place, PeriodForm form, string userId)
    {
        var period = new MonitoringPeriod
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, Name = FormText.Clean(form.Name), DueDate = form.DueDate!.Value,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.MonitoringPeriods.Add(period);
        await db.SaveChangesAsync();
        return new ReportWriteResult.Saved(period.Id);
    }

    /// <summary>A period's name or due date corrected; the reports already made for it stay with it.</summary>
    public async Task<ReportWriteResult> EditPeriodAsync(CyclePlace place, int periodId, PeriodEditForm form)
    {
        var period = await PeriodAsync(place, periodId);
        if (period is null) return new ReportWriteResult.NotFound();
        db.ShownAs(period, form.Version!.Value);
        period.Name = FormText.Clean(form.Name);
        period.DueDate = form.DueDate!.Value;
        return await ConflictSave.SaveUnlessConflictAsync(db) ? new ReportWriteResult.Saved(period.Id) : new ReportWriteResult.Conflict();
    }

    /// <summary>
    /// Removes a period set in error, with the draft reports buildings started for it (each removal in the audit trail). A
    /// period any report of which has reached the district team stays. The confirmation named how many drafts go with it:
    /// a draft started since then makes the removal wait for a new confirmation.
    /// </summary>
    public async Task<ReportWriteResult> RemovePeriodAsync(CyclePlace place, int periodId, PeriodRemovalForm form)
    {
        var period = await PeriodAsync(place, periodId);
        if (period is null)
            return await plan.WasRemovedAsync<MonitoringPeriod>(place, periodId)
                ? new ReportWriteResult.Saved(periodId) : new ReportWriteResult.NotFound();
        var reports = await db.BuildingReports.Include(r => r.Values).Include(r => r.Activities).Include(r => r.Transitions)
            .Where(r => r.PeriodId == periodId).ToListAsync();
        if (!BuildingReportRules.PeriodRemovable(reports.Select(r => r.State)))
            return new ReportWriteResult.Refused(StatusCodes.Status409Conflict, PeriodRemoval.KeptReason, []);
        if (reports.Count != form.Drafts) return new ReportWriteResult.Conflict();
        db.ShownAs(period, form.Version!.Value);
        // Children first, each removal in the audit trail (a cascade in the database would leave no trace).
        foreach (var report in reports)
        {
            db.BuildingReportValues.RemoveRange(report.Values);
            db.BuildingReportActivities.RemoveRange(report.Activities);
            db.BuildingReportTransitions.RemoveRange(report.Transitions);
        }
        db.BuildingReports.RemoveRange(reports);
        db.MonitoringPeriods.Remove(period);
        try
        {
            return await ConflictSave.SaveUnlessConflictAsync(db) ? new ReportWriteResult.Saved(period.Id) : new ReportWriteResult.Conflict();
        }
        catch (DbUpdateException)
        {
            // A building's first save of a report for this period in the same moment: the period stays, as does the report.
            db.ChangeTracker.Clear();
            return new ReportWriteResult.Conflict();
        }
    }

    private Task<MonitoringPeriod?> PeriodAsync(CyclePlace place, int periodId) =>
        db.MonitoringPeriods.SingleOrDefaultAsync(p => p.Id == periodId && p.CycleId == place.CycleId && p.DistrictId == place.DistrictId);

    /// <summary>Makes the reported measures the ones ticked: each must be a measure of the cycle still watched.</summary>
    public async Task<ReportWriteResult> SetReportedMeasuresAsync(CyclePlace place, ReportedMeasuresForm form)
    {
        var chosen = form.MeasureIds.Distinct().ToList();
        var ours = await db.PlanMeasures.Where(m => m.CycleId == place.CycleId && m.DistrictId == place.DistrictId && m.ArchivedAt == null && chosen.Contains(m.Id))
            .Select(m => m.Id).ToListAsync();
        if (ours.Count != chosen.Count) return new ReportWriteResult.Invalid(nameof(ReportedMeasuresForm.MeasureIds), "Choose measures of this cycle's plan.");
        var current = await db.ReportedMeasures.Where(r => r.CycleId == place.CycleId).ToListAsync();
        db.ReportedMeasures.RemoveRange(current.Where(r => !ours.Contains(r.MeasureId)));
        db.ReportedMeasures.AddRange(ours.Where(id => current.All(r => r.MeasureId != id)).Order()
            .Select(id => new ReportedMeasure { DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = id }));
        await db.SaveChangesAsync();
        return new ReportWriteResult.Saved(0);
    }

    /// <summary>
    /// Saves the building's entries as a draft. Only entries for the report's own measures and activities are kept; a report
    /// already submitted or accepted is read-only, and a form shown before someone else's save changes nothing.
    /// </summary>
    public async Task<ReportWriteResult> SaveAsync(CyclePlace place, ReportScope scope, BuildingReportForm form)
    {
        var now = clock.GetUtcNow();
        var report = await db.BuildingReports.Include(r => r.Values).Include(r => r.Activities)
            .SingleOrDefaultAsync(r => r.PeriodId == scope.PeriodId && r.BuildingId == scope.BuildingId);
        if (report is null)
        {
            report = new BuildingReport
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId, PeriodId = scope.PeriodId, BuildingId = scope.BuildingId, CreatedAt = now,
            };
            db.BuildingReports.Add(report);
        }
        else
        {
            if (!ReviewWorkflow.IsEditable(report.State))
                return new ReportWriteResult.Refused(StatusCodes.Status409Conflict,
                    "This report has been submitted, so it is read-only. The district team can return it for changes.", []);
            // A form shown before the report existed, or before someone else's save, keeps nothing: the person sees theirs again.
            if (form.Version != report.Version) return new ReportWriteResult.Conflict();
            db.ShownAs(report, form.Version!.Value);
        }

        for (var i = 0; i < form.Values.Count; i++)
        {
            var input = form.Values[i];
            if (scope.Measures.FirstOrDefault(m => m.Id == input.MeasureId) is not { } measure) continue;
            if (input.Value is { } v && !MeasureValues.Sane(v, measure.Unit))
                return new ReportWriteResult.Invalid($"{nameof(BuildingReportForm.Values)}[{i}].{nameof(ReportValueForm.Value)}", MeasureValues.Message(measure.Unit));
            var value = report.Values.FirstOrDefault(x => x.MeasureId == measure.Id);
            if (value is null)
            {
                value = new BuildingReportValue { DistrictId = place.DistrictId, MeasureId = measure.Id };
                report.Values.Add(value);
            }
            value.Value = input.Value;
            value.Note = FormText.Clean(input.Note);
        }
        foreach (var input in form.Activities)
        {
            if (scope.Activities.All(a => a.Id != input.ActivityId)) continue;
            var status = report.Activities.FirstOrDefault(x => x.ActivityId == input.ActivityId);
            if (status is null)
            {
                status = new BuildingReportActivity { DistrictId = place.DistrictId, ActivityId = input.ActivityId };
                report.Activities.Add(status);
            }
            status.Judgment = input.Judgment;
            status.Note = FormText.Clean(input.Note);
        }
        report.Recommendations = FormText.Clean(form.Recommendations);
        report.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync();
            return new ReportWriteResult.Saved(report.Id);
        }
        catch (DbUpdateException)
        {
            // Saved by someone else at the same moment (the version, or the one report per building and period).
            db.ChangeTracker.Clear();
            return new ReportWriteResult.Conflict();
        }
    }

    /// <summary>
    /// Moves the report one step of the review workflow and records who did it. A submission must be complete; a return
    /// needs a comment; <paramref name="seenVersion"/>, when given, must still be the report's. Accepting it adds its values
    /// to the measures' values in the same save (ADR 24).
    /// </summary>
    public async Task<ReportWriteResult> MoveAsync(CyclePlace place, ReportScope scope, TemplateAction action, string comment, Guid? seenVersion, string userId)
    {
        var report = await db.BuildingReports.Include(r => r.Values).Include(r => r.Activities)
            .SingleOrDefaultAsync(r => r.PeriodId == scope.PeriodId && r.BuildingId == scope.BuildingId);
        if (report is null)
            return action == TemplateAction.Submit
                ? new ReportWriteResult.Refused(StatusCodes.Status400BadRequest, "Fill the report before submitting it.", MissingOf(scope, null))
                : new ReportWriteResult.Refused(StatusCodes.Status409Conflict, "The building has not started this report yet.", []);
        var step = ReviewWorkflow.Apply(ReviewedRecord.MonitoringReport, report.State, action, comment);
        if (!step.Allowed)
            return new ReportWriteResult.Refused(action == TemplateAction.Return && report.State == TemplateState.Submitted
                ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, step.Reason!, []);
        if (action == TemplateAction.Submit && MissingOf(scope, report) is { Count: > 0 } missing)
            return new ReportWriteResult.Refused(StatusCodes.Status400BadRequest, "The report is not complete yet. Fill these, then submit again:", missing);

        if (seenVersion is { } version) db.ShownAs(report, version);
        var now = clock.GetUtcNow();
        report.Transitions.Add(new BuildingReportTransition
        {
            DistrictId = report.DistrictId, From = report.State, To = step.NewState!.Value, UserId = userId, At = now, Comment = comment,
        });
        report.State = step.NewState.Value;
        report.UpdatedAt = now;
        if (report.State == TemplateState.Submitted) report.SubmittedAt = now;
        if (report.State is TemplateState.Accepted or TemplateState.Returned) report.DecidedAt = now;
        if (report.State == TemplateState.Accepted)
        {
            var submittedOn = DistrictCalendar.Today(report.SubmittedAt ?? now, place.TimeZoneId);
            await plan.AddAcceptedReportValuesAsync(place, report, BuildingReportRules.ValueDate(scope.DueDate, submittedOn), userId);
        }
        try
        {
            await db.SaveChangesAsync();
            return new ReportWriteResult.Saved(report.Id);
        }
        catch (DbUpdateException ex)
        {
            // Someone else moved the report meanwhile (its version), or accepted it at the same moment (the unique copy of its
            // values refused ours). Any other failure is not a conflict and goes up.
            db.ChangeTracker.Clear();
            if (ex is DbUpdateConcurrencyException || await db.PlanMeasureValues.AnyAsync(v => v.SourceReportId == report.Id))
                return new ReportWriteResult.Conflict();
            throw;
        }
    }

    private static IReadOnlyList<string> MissingOf(ReportScope scope, BuildingReport? report) =>
        BuildingReportRules.MissingForSubmission(
            scope.Measures.Select(m => (m.Name, report?.Values.FirstOrDefault(v => v.MeasureId == m.Id)?.Value)),
            scope.Activities.Select(a => (a.Title, report?.Activities.FirstOrDefault(x => x.ActivityId == a.Id)?.Judgment)),
            report?.Recommendations ?? "");
}
