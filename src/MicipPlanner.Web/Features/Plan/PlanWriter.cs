using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>What became of a write to the plan.</summary>
public abstract record PlanWriteResult
{
    /// <param name="Status">What to tell the person when it differs from the page's usual word (a measure archived, not removed).</param>
    public sealed record Saved(int Id, string? Status = null) : PlanWriteResult;

    /// <summary>The goal, strategy or activity it was to go under is not in this cycle.</summary>
    public sealed record NotFound : PlanWriteResult;

    /// <summary>The form passed its validator but names something the plan cannot take (an owner off the team …).</summary>
    public sealed record Refused(string Field, string Message) : PlanWriteResult;

    /// <summary>Someone else saved the record since the form was shown: nothing of this write was kept.</summary>
    public sealed record Conflict : PlanWriteResult;
}

/// <summary>
/// The one write path of the plan's records: every goal, strategy, activity and check-in is added or changed here, in the
/// cycle of the page, after the form's validator passed. Permissions are the caller's (the page's) check. Changes to a
/// record carry the version the form was shown with; a change made meanwhile by someone else wins (<see cref="PlanWriteResult.Conflict"/>).
/// </summary>
public sealed partial class PlanWriter(AppDbContext db, TimeProvider clock)
{
    public async Task<PlanWriteResult> AddGoalAsync(CyclePlace place, GoalForm form, IReadOnlyCollection<string> rubricRowKeys, string userId)
    {
        // An empty value (a box with no row behind it) chooses nothing; anything else must be a row of the cycle's toolkit.
        var chosen = form.RubricRowKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (chosen.Any(k => !rubricRowKeys.Contains(k)))
            return new PlanWriteResult.Refused(nameof(GoalForm.RubricRowKeys), "Choose rubric rows from the list.");
        var last = await db.PlanGoals.Where(g => g.CycleId == place.CycleId).MaxAsync(g => (int?)g.SortOrder) ?? 0;
        var goal = new PlanGoal
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, Statement = FormText.Clean(form.Statement), State = form.State,
            RubricRowKeys = PlanRules.FormatRowKeys(rubricRowKeys.Where(chosen.Contains)), SortOrder = last + 1,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanGoals.Add(goal);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(goal.Id);
    }

    public async Task<PlanWriteResult> AddStrategyAsync(CyclePlace place, int goalId, StrategyForm form, string userId)
    {
        if (!await db.PlanGoals.AnyAsync(g => g.Id == goalId && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var strategy = new PlanStrategy
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, GoalId = goalId, Title = FormText.Clean(form.Title),
            Systems = form.Systems.Aggregate(PlanSystems.None, (all, one) => all | one), FundingSource = FormText.Clean(form.FundingSource),
            PlannedAmount = form.PlannedAmount, CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanStrategies.Add(strategy);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(strategy.Id);
    }

    public async Task<PlanWriteResult> AddActivityAsync(CyclePlace place, int strategyId, ActivityForm form, string userId)
    {
        if (!await db.PlanStrategies.AnyAsync(s => s.Id == strategyId && s.CycleId == place.CycleId && s.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var owner = string.IsNullOrEmpty(form.OwnerUserId) ? null : form.OwnerUserId;
        if (owner is not null && !await IsOnDistrictTeamAsync(place, owner))
            return new PlanWriteResult.Refused(nameof(ActivityForm.OwnerUserId), "Choose an owner from the district's team.");
        // Every building named must be the district's, even when "all buildings" makes the list moot: a foreign id is never
        // stored, and a forged one is told apart from a slip.
        var chosen = form.BuildingIds.Distinct().ToList();
        if (!form.AllBuildings && chosen.Count == 0)
            return new PlanWriteResult.Refused(nameof(ActivityForm.BuildingIds), "Choose the buildings that take part, or tick all buildings.");
        var ours = await db.Buildings.Where(b => b.DistrictId == place.DistrictId && chosen.Contains(b.Id)).Select(b => b.Id).ToListAsync();
        if (ours.Count != chosen.Count)
            return new PlanWriteResult.Refused(nameof(ActivityForm.BuildingIds), "Choose buildings of the district.");
        var activity = new PlanActivity
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, StrategyId = strategyId, Title = FormText.Clean(form.Title),
            OwnerUserId = owner, StartDate = form.StartDate, DueDate = form.DueDate, DoneDate = form.DoneDate, AllBuildings = form.AllBuildings,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        if (!form.AllBuildings)
        {
            db.PlanActivityBuildings.AddRange(ours.Order().Select(b => new PlanActivityBuilding { DistrictId = place.DistrictId, ActivityId = activity.Id, BuildingId = b }));
            await db.SaveChangesAsync();
        }
        return new PlanWriteResult.Saved(activity.Id);
    }

    /// <summary>
    /// Files an action item of the cycle under a strategy as an activity: its text becomes the title, its owner (when on the
    /// district team) and due date carry over, a done item is done on the day it was completed. The item stays as it was.
    /// </summary>
    public async Task<PlanWriteResult> FileActionItemAsync(CyclePlace place, int actionItemId, FileActionItemForm form, string userId)
    {
        var item = await db.ActionItems.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == actionItemId && a.CycleId == place.CycleId && a.DistrictId == place.DistrictId);
        if (item is null) return new PlanWriteResult.NotFound();
        if (!await db.PlanStrategies.AnyAsync(s => s.Id == form.StrategyId && s.CycleId == place.CycleId && s.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var alreadyFiled = AlreadyFiled(await FiledAsAsync(actionItemId));
        if (alreadyFiled is not null) return alreadyFiled;

        // An owner from a building team cannot own a district activity: the activity then waits for one.
        var owner = item.OwnerUserId is { } o && await IsOnDistrictTeamAsync(place, o) ? o : null;
        var now = clock.GetUtcNow();
        var activity = new PlanActivity
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, StrategyId = form.StrategyId!.Value, Title = item.Title,
            OwnerUserId = owner, DueDate = item.DueDate, AllBuildings = true, SourceActionItemId = item.Id,
            DoneDate = item.Status == ActionStatus.Done ? DistrictCalendar.Today(item.CompletedAt ?? now, place.TimeZoneId) : null,
            CreatedByUserId = userId, CreatedAt = now,
        };
        db.PlanActivities.Add(activity);
        try
        {
            await db.SaveChangesAsync();
            return new PlanWriteResult.Saved(activity.Id);
        }
        catch (DbUpdateException)
        {
            // Filed by someone else in the same moment: the unique index kept the second one out. Anything else is no
            // refusal and goes on up.
            db.ChangeTracker.Clear();
            if (AlreadyFiled(await FiledAsAsync(actionItemId)) is { } refused) return refused;
            throw;
        }

        static PlanWriteResult.Refused? AlreadyFiled(string? title) => title is null ? null
            : new(nameof(FileActionItemForm.StrategyId), $"This action item is already in the plan, as the activity “{title}”.");
    }

    public async Task<PlanWriteResult> ChangeGoalStateAsync(CyclePlace place, int goalId, GoalStateForm form)
    {
        var goal = await db.PlanGoals.SingleOrDefaultAsync(g => g.Id == goalId && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId);
        if (goal is null) return new PlanWriteResult.NotFound();
        ShownAs(goal, form.Version);
        goal.State = form.State!.Value;
        return await SaveAsync(goal.Id);
    }

    public async Task<PlanWriteResult> EditGoalAsync(CyclePlace place, int goalId, GoalEditForm form)
    {
        var goal = await db.PlanGoals.SingleOrDefaultAsync(g => g.Id == goalId && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId);
        if (goal is null) return new PlanWriteResult.NotFound();
        ShownAs(goal, form.Version);
        goal.Statement = FormText.Clean(form.Statement);
        return await SaveAsync(goal.Id);
    }

    public async Task<PlanWriteResult> EditStrategyAsync(CyclePlace place, int strategyId, StrategyEditForm form)
    {
        var strategy = await StrategyAsync(place, strategyId);
        if (strategy is null) return new PlanWriteResult.NotFound();
        ShownAs(strategy, form.Version);
        strategy.Title = FormText.Clean(form.Title);
        strategy.Systems = form.Systems.Aggregate(PlanSystems.None, (all, one) => all | one);
        strategy.FundingSource = FormText.Clean(form.FundingSource);
        strategy.PlannedAmount = form.PlannedAmount;
        return await SaveAsync(strategy.Id);
    }

    /// <summary>Removes a strategy that nothing is recorded under yet; one with activities or measures stays.</summary>
    public async Task<PlanWriteResult> RemoveStrategyAsync(CyclePlace place, int strategyId, RemovalForm form)
    {
        var strategy = await StrategyAsync(place, strategyId);
        if (strategy is null) return await RemovedAlreadyAsync<PlanStrategy>(place, strategyId);
        if (await db.PlanActivities.AnyAsync(a => a.StrategyId == strategyId) || await db.PlanMeasures.AnyAsync(m => m.StrategyId == strategyId))
            return new PlanWriteResult.Refused(nameof(RemovalForm.Confirm),
                "This strategy has activities or measures under it, so it stays. Remove those first, or archive its goal.");
        ShownAs(strategy, form.Version);
        db.PlanStrategies.Remove(strategy);
        return await SaveAsync(strategy.Id);
    }

    /// <summary>Removes an activity with no check-ins and no measures; one the team has recorded work on stays.</summary>
    public async Task<PlanWriteResult> RemoveActivityAsync(CyclePlace place, int activityId, RemovalForm form)
    {
        var activity = await ActivityAsync(place, activityId);
        if (activity is null) return await RemovedAlreadyAsync<PlanActivity>(place, activityId);
        if (await db.PlanCheckIns.AnyAsync(c => c.ActivityId == activityId) || await db.PlanMeasures.AnyAsync(m => m.ActivityId == activityId)
            || await db.BuildingReportActivities.AnyAsync(a => a.ActivityId == activityId) || await db.PdsaCycles.AnyAsync(p => p.ActivityId == activityId))
            return new PlanWriteResult.Refused(nameof(RemovalForm.Confirm),
                "Check-ins, measures or PDSA cycles are recorded on this activity (or building reports speak of it), so it stays. Mark it done, or give it a done date, instead.");
        ShownAs(activity, form.Version);
        // Its buildings go with it, each removal in the audit trail (a cascade in the database would leave no trace).
        db.PlanActivityBuildings.RemoveRange(await db.PlanActivityBuildings.Where(b => b.ActivityId == activityId).ToListAsync());
        db.PlanActivities.Remove(activity);
        return await SaveAsync(activity.Id);
    }

    public async Task<PlanWriteResult> EditActivityAsync(CyclePlace place, int activityId, ActivityEditForm form)
    {
        var activity = await ActivityAsync(place, activityId);
        if (activity is null) return new PlanWriteResult.NotFound();
        var owner = string.IsNullOrEmpty(form.OwnerUserId) ? null : form.OwnerUserId;
        // The owner it already has stays acceptable (e.g. someone who has since moved to a building team).
        if (owner is not null && owner != activity.OwnerUserId && !await IsOnDistrictTeamAsync(place, owner))
            return new PlanWriteResult.Refused(nameof(ActivityEditForm.OwnerUserId), "Choose an owner from the district's team.");
        ShownAs(activity, form.Version);
        activity.Title = FormText.Clean(form.Title);
        activity.OwnerUserId = owner;
        activity.StartDate = form.StartDate;
        activity.DueDate = form.DueDate;
        activity.DoneDate = form.DoneDate;
        return await SaveAsync(activity.Id);
    }

    private async Task<PlanWriteResult> SaveAsync(int id) =>
        await ConflictSave.SaveUnlessConflictAsync(db) ? new PlanWriteResult.Saved(id) : new PlanWriteResult.Conflict();

    /// <summary>The save goes through only if the record is still the version the form was shown with.</summary>
    private void ShownAs(Entity record, Guid? version) => db.ShownAs(record, version!.Value);

    /// <summary>
    /// A removal of a record no longer there: when the audit trail shows it removed from this district (a double submit,
    /// two people at once) the removal is done; a record that never was the district's is not found.
    /// </summary>
    private async Task<PlanWriteResult> RemovedAlreadyAsync<T>(CyclePlace place, int id) where T : Entity =>
        await WasRemovedAsync<T>(place, id) ? new PlanWriteResult.Saved(id) : new PlanWriteResult.NotFound();

    /// <summary>Whether the audit trail shows the record removed from the district (the monitoring period's removal asks too).</summary>
    internal Task<bool> WasRemovedAsync<T>(CyclePlace place, int id) where T : Entity
    {
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return db.AuditEntries.AnyAsync(e => e.DistrictId == place.DistrictId && e.EntityType == typeof(T).Name && e.EntityId == key
            && e.Action == AuditAction.Delete);
    }

    private Task<PlanStrategy?> StrategyAsync(CyclePlace place, int strategyId) =>
        db.PlanStrategies.SingleOrDefaultAsync(s => s.Id == strategyId && s.CycleId == place.CycleId && s.DistrictId == place.DistrictId);

    private Task<PlanActivity?> ActivityAsync(CyclePlace place, int activityId) =>
        db.PlanActivities.SingleOrDefaultAsync(a => a.Id == activityId && a.CycleId == place.CycleId && a.DistrictId == place.DistrictId);

    private Task<PlanMeasure?> MeasureAsync(CyclePlace place, int measureId) =>
        db.PlanMeasures.SingleOrDefaultAsync(m => m.Id == measureId && m.CycleId == place.CycleId && m.DistrictId == place.DistrictId);

    private Task<PlanMeasureValue?> ValueAsync(CyclePlace place, int valueId) =>
        db.PlanMeasureValues.SingleOrDefaultAsync(v => v.Id == valueId && v.CycleId == place.CycleId && v.DistrictId == place.DistrictId);

    private Task<string?> FiledAsAsync(int actionItemId) =>
        db.PlanActivities.Where(a => a.SourceActionItemId == actionItemId).Select(a => a.Title).FirstOrDefaultAsync();

    private Task<bool> IsOnDistrictTeamAsync(CyclePlace place, string userId) =>
        db.TeamMemberships.AnyAsync(m => m.DistrictId == place.DistrictId && m.BuildingId == null && m.UserId == userId);

    /// <summary>How long an identical check-in by the same person counts as the same press of Record.</summary>
    public static readonly TimeSpan RepeatedCheckInWindow = TimeSpan.FromSeconds(10);

    public async Task<PlanWriteResult> RecordCheckInAsync(CyclePlace place, int activityId, CheckInForm form, string userId)
    {
        if (!await db.PlanActivities.AnyAsync(a => a.Id == activityId && a.CycleId == place.CycleId && a.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var now = clock.GetUtcNow();
        // A check-in says how the work stands; it cannot speak for a day that has not come in the district yet.
        if (form.Date > DistrictCalendar.Today(now, place.TimeZoneId))
            return new PlanWriteResult.Refused(nameof(CheckInForm.Date), "A check-in cannot be dated after today.");
        var link = FormText.Clean(form.EvidenceLink);
        var checkIn = new PlanCheckIn
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, ActivityId = activityId, Date = form.Date!.Value, Judgment = form.Judgment!.Value,
            Note = FormText.Clean(form.Note), EvidenceLink = link.Length == 0 ? null : link, ByUserId = userId, CreatedAt = now,
        };
        // A check-in is an event, so a second press of Record (or a post repeated by a flaky connection) would be a second
        // one: the same person's identical check-in of the last few seconds is answered as the one already recorded.
        var recently = now.Add(-RepeatedCheckInWindow);
        var repeated = await db.PlanCheckIns.Where(c => c.ActivityId == activityId && c.DistrictId == place.DistrictId && c.ByUserId == userId
                && c.CreatedAt > recently && c.Date == checkIn.Date && c.Judgment == checkIn.Judgment && c.Note == checkIn.Note && c.EvidenceLink == checkIn.EvidenceLink)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (repeated is { } recorded) return new PlanWriteResult.Saved(recorded);
        db.PlanCheckIns.Add(checkIn);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(checkIn.Id);
    }

    /// <summary>
    /// Records today's monitoring meeting. Recording it again the same day (a double submit, or two people at once)
    /// answers with the one meeting of the day: the unique index on (cycle, day) settles a race.
    /// </summary>
    public async Task<PlanWriteResult> RecordMeetingAsync(CyclePlace place, string userId)
    {
        var now = clock.GetUtcNow();
        var today = DistrictCalendar.Today(now, place.TimeZoneId);
        var existing = await MeetingOnAsync(place, today);
        if (existing is { } id) return new PlanWriteResult.Saved(id);
        var meeting = new PlanMeeting { DistrictId = place.DistrictId, CycleId = place.CycleId, HeldOn = today, RecordedByUserId = userId, RecordedAt = now };
        db.PlanMeetings.Add(meeting);
        try
        {
            await db.SaveChangesAsync();
            return new PlanWriteResult.Saved(meeting.Id);
        }
        catch (DbUpdateException)
        {
            // Someone recorded the day's meeting between our look and our save: theirs is the day's meeting.
            db.ChangeTracker.Clear();
            if (await MeetingOnAsync(place, today) is { } recorded) return new PlanWriteResult.Saved(recorded);
            throw;
        }
    }

    private Task<int?> MeetingOnAsync(CyclePlace place, DateOnly day) =>
        db.PlanMeetings.Where(m => m.CycleId == place.CycleId && m.DistrictId == place.DistrictId && m.HeldOn == day)
            .Select(m => (int?)m.Id).FirstOrDefaultAsync();

    public async Task<PlanWriteResult> AddMeasureAsync(CyclePlace place, MeasureOwner owner, MeasureForm form, string userId)
    {
        var exists = owner.Kind switch
        {
            MeasureOwnerKind.Goal => await db.PlanGoals.AnyAsync(g => g.Id == owner.Id && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId),
            MeasureOwnerKind.Strategy => await db.PlanStrategies.AnyAsync(s => s.Id == owner.Id && s.CycleId == place.CycleId && s.DistrictId == place.DistrictId),
            MeasureOwnerKind.Activity => await db.PlanActivities.AnyAsync(a => a.Id == owner.Id && a.CycleId == place.CycleId && a.DistrictId == place.DistrictId),
            _ => false,
        };
        if (!exists) return new PlanWriteResult.NotFound();
        var measure = new PlanMeasure
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId,
            GoalId = owner.Kind == MeasureOwnerKind.Goal ? owner.Id : null,
            StrategyId = owner.Kind == MeasureOwnerKind.Strategy ? owner.Id : null,
            ActivityId = owner.Kind == MeasureOwnerKind.Activity ? owner.Id : null,
            Name = FormText.Clean(form.Name), Kind = form.Kind!.Value, Unit = form.Unit!.Value, Better = form.Better!.Value,
            BaselineValue = form.BaselineValue, BaselineDate = form.BaselineDate, EndTargetValue = form.EndTargetValue, EndTargetDate = form.EndTargetDate,
            DataSource = FormText.Clean(form.DataSource), CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanMeasures.Add(measure);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(measure.Id);
    }

    public async Task<PlanWriteResult> AddInterimTargetAsync(CyclePlace place, int measureId, MeasureTargetForm form, string userId)
    {
        if (await MeasureUnitAsync(place, measureId) is not { } unit) return new PlanWriteResult.NotFound();
        if (!MeasureValues.Sane(form.Value, unit)) return new PlanWriteResult.Refused(nameof(MeasureTargetForm.Value), MeasureValues.Message(unit));
        var target = new PlanMeasureTarget
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = measureId, Date = form.Date!.Value, Value = form.Value!.Value,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanMeasureTargets.Add(target);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(target.Id);
    }

    public async Task<PlanWriteResult> AddPhaseChangeAsync(CyclePlace place, int measureId, MeasurePhaseForm form, string userId)
    {
        if (await MeasureUnitAsync(place, measureId) is null) return new PlanWriteResult.NotFound();
        if (await db.PlanMeasurePhases.AnyAsync(p => p.MeasureId == measureId && p.Date == form.Date))
            return new PlanWriteResult.Refused(nameof(MeasurePhaseForm.Date), "A change is already marked on that date.");
        var phase = new PlanMeasurePhase
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = measureId, Date = form.Date!.Value, Label = FormText.Clean(form.Label),
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanMeasurePhases.Add(phase);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(phase.Id);
    }

    public async Task<PlanWriteResult> RecordValueAsync(CyclePlace place, int measureId, MeasureValueForm form, string userId)
    {
        if (await MeasureUnitAsync(place, measureId) is not { } unit) return new PlanWriteResult.NotFound();
        if (await ValueRefusalAsync(place, unit, form) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var value = new PlanMeasureValue
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = measureId, Date = form.Date!.Value, Value = form.Value!.Value,
            BuildingId = form.BuildingId, Note = FormText.Clean(form.Note), RecordedByUserId = userId, RecordedAt = now,
        };
        db.PlanMeasureValues.Add(value);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(value.Id);
    }

    /// <summary>
    /// Adds the values of a building report the district is accepting to its measures, as the building's values dated
    /// <paramref name="date"/>, in the caller's save (the acceptance's): nothing is saved here. A report's value is copied
    /// once; a measure it was already copied to keeps that copy (ADR 24). A report value left empty adds nothing.
    /// </summary>
    public async Task AddAcceptedReportValuesAsync(CyclePlace place, BuildingReport report, DateOnly date, string userId)
    {
        var copied = await db.PlanMeasureValues.Where(v => v.SourceReportId == report.Id).Select(v => v.MeasureId).ToListAsync();
        var now = clock.GetUtcNow();
        foreach (var reported in report.Values.Where(v => v.Value is not null && !copied.Contains(v.MeasureId)).OrderBy(v => v.MeasureId))
        {
            db.PlanMeasureValues.Add(new PlanMeasureValue
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = reported.MeasureId, Date = date, Value = reported.Value!.Value,
                BuildingId = report.BuildingId, Note = reported.Note, RecordedByUserId = userId, RecordedAt = now, SourceReportId = report.Id,
            });
        }
    }

    /// <summary>A value recorded with a wrong figure, date or building, corrected; the chart and its findings follow.</summary>
    public async Task<PlanWriteResult> CorrectValueAsync(CyclePlace place, int valueId, MeasureValueEditForm form)
    {
        var value = await ValueAsync(place, valueId);
        if (value is null || await MeasureUnitAsync(place, value.MeasureId) is not { } unit) return new PlanWriteResult.NotFound();
        if (await ValueRefusalAsync(place, unit, form) is { } refused) return refused;
        ShownAs(value, form.Version);
        value.Date = form.Date!.Value;
        value.Value = form.Value!.Value;
        value.BuildingId = form.BuildingId;
        value.Note = FormText.Clean(form.Note);
        return await SaveAsync(value.Id);
    }

    /// <summary>Removes a value recorded in error (the audit trail keeps what it was and who removed it).</summary>
    public async Task<PlanWriteResult> RemoveValueAsync(CyclePlace place, int valueId, RemovalForm form)
    {
        var value = await ValueAsync(place, valueId);
        if (value is null) return await RemovedAlreadyAsync<PlanMeasureValue>(place, valueId);
        ShownAs(value, form.Version);
        db.PlanMeasureValues.Remove(value);
        return await SaveAsync(value.Id);
    }

    /// <summary>
    /// A measure's definition corrected. Its unit changes only when every value and target it has fits the new one (a
    /// percent stays within 0–100), so no figure already recorded turns impossible.
    /// </summary>
    public async Task<PlanWriteResult> EditMeasureAsync(CyclePlace place, int measureId, MeasureEditForm form)
    {
        var measure = await MeasureAsync(place, measureId);
        if (measure is null) return new PlanWriteResult.NotFound();
        var unit = form.Unit!.Value;
        if (unit != measure.Unit)
        {
            var recorded = await db.PlanMeasureValues.Where(v => v.MeasureId == measureId).Select(v => v.Value)
                .Concat(db.PlanMeasureTargets.Where(t => t.MeasureId == measureId).Select(t => t.Value)).ToListAsync();
            if (recorded.Any(v => !MeasureValues.Sane(v, unit)))
                return new PlanWriteResult.Refused(nameof(MeasureEditForm.Unit), "Values or targets already recorded do not fit this unit; correct them first.");
        }
        ShownAs(measure, form.Version);
        measure.Name = FormText.Clean(form.Name);
        measure.Kind = form.Kind!.Value;
        measure.Unit = unit;
        measure.Better = form.Better!.Value;
        measure.BaselineValue = form.BaselineValue;
        measure.BaselineDate = form.BaselineDate;
        measure.EndTargetValue = form.EndTargetValue;
        measure.EndTargetDate = form.EndTargetDate;
        measure.DataSource = FormText.Clean(form.DataSource);
        return await SaveAsync(measure.Id);
    }

    /// <summary>
    /// A measure no longer watched. One without values is removed with its targets and changes (it was a slip or a plan
    /// never carried out); one with values is archived: its chart and history stay readable, it leaves the meeting.
    /// </summary>
    public async Task<PlanWriteResult> RemoveMeasureAsync(CyclePlace place, int measureId, RemovalForm form)
    {
        var measure = await MeasureAsync(place, measureId);
        if (measure is null) return await RemovedAlreadyAsync<PlanMeasure>(place, measureId);
        ShownAs(measure, form.Version);
        // A building report's value is a value too: the measure stays, archived, so the report still reads whole.
        if (await db.PlanMeasureValues.AnyAsync(v => v.MeasureId == measureId) || await db.BuildingReportValues.AnyAsync(v => v.MeasureId == measureId))
        {
            measure.ArchivedAt ??= clock.GetUtcNow();
            return await SaveAsync(measure.Id) is PlanWriteResult.Saved
                ? new PlanWriteResult.Saved(measure.Id, "Measure archived: values are recorded on it, so its chart and values stay, under Archived measures.")
                : new PlanWriteResult.Conflict();
        }
        // Its targets and changes go with it, each in the audit trail (a cascade in the database would leave no trace).
        db.PlanMeasureTargets.RemoveRange(await db.PlanMeasureTargets.Where(t => t.MeasureId == measureId).ToListAsync());
        db.PlanMeasurePhases.RemoveRange(await db.PlanMeasurePhases.Where(p => p.MeasureId == measureId).ToListAsync());
        db.ReportedMeasures.RemoveRange(await db.ReportedMeasures.Where(r => r.MeasureId == measureId).ToListAsync());
        db.PdsaMeasureLinks.RemoveRange(await db.PdsaMeasureLinks.Where(l => l.MeasureId == measureId).ToListAsync());
        db.PlanMeasures.Remove(measure);
        return await SaveAsync(measure.Id);
    }

    /// <summary>Why a value (new or corrected) cannot be kept: out of the unit's range, a building not the district's, a day yet to come.</summary>
    private async Task<PlanWriteResult.Refused?> ValueRefusalAsync(CyclePlace place, MeasureUnit unit, MeasureValueForm form)
    {
        if (!MeasureValues.Sane(form.Value, unit)) return new(nameof(MeasureValueForm.Value), MeasureValues.Message(unit));
        if (form.BuildingId is { } buildingId && !await db.Buildings.AnyAsync(b => b.Id == buildingId && b.DistrictId == place.DistrictId))
            return new(nameof(MeasureValueForm.BuildingId), "Choose one of the district's buildings, or the whole district.");
        // A value is something measured: it cannot come from a day that has not come in the district yet.
        if (form.Date > DistrictCalendar.Today(clock.GetUtcNow(), place.TimeZoneId))
            return new(nameof(MeasureValueForm.Date), "A value cannot be dated after today.");
        return null;
    }

    /// <summary>The unit of the measure when it is in this cycle, else null.</summary>
    private async Task<MeasureUnit?> MeasureUnitAsync(CyclePlace place, int measureId) =>
        await db.PlanMeasures.Where(m => m.Id == measureId && m.CycleId == place.CycleId && m.DistrictId == place.DistrictId)
            .Select(m => (MeasureUnit?)m.Unit).FirstOrDefaultAsync();
}

/// <summary>The district and cycle a write belongs to, and the district's zone (for its "today").</summary>
public sealed record CyclePlace(int DistrictId, int CycleId, string TimeZoneId);

public enum MeasureOwnerKind
{
    Goal,
    Strategy,
    Activity,
}

/// <summary>The goal (end target measure), strategy or activity (interim measure) a measure is added under.</summary>
public sealed record MeasureOwner(MeasureOwnerKind Kind, int Id)
{
    /// <summary>The id of the form on the page, so a refused form opens again under its record.</summary>
    public string Key => $"{Kind.ToString().ToLowerInvariant()}-{Id}";
}
