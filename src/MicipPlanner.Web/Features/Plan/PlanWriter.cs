using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>What became of a write to the plan.</summary>
public abstract record PlanWriteResult
{
    public sealed record Saved(int Id) : PlanWriteResult;

    /// <summary>The goal, strategy or activity it was to go under is not in this cycle.</summary>
    public sealed record NotFound : PlanWriteResult;

    /// <summary>The form passed its validator but names something the plan cannot take (an owner off the team …).</summary>
    public sealed record Refused(string Field, string Message) : PlanWriteResult;
}

/// <summary>
/// The one write path of the plan's records: every goal, strategy, activity and check-in is added here, in the cycle of
/// the page, after the form's validator passed. Permissions are the caller's (the page's) check.
/// </summary>
public sealed class PlanWriter(AppDbContext db, TimeProvider clock)
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
        if (owner is not null && !await db.TeamMemberships.AnyAsync(m => m.DistrictId == place.DistrictId && m.BuildingId == null && m.UserId == owner))
            return new PlanWriteResult.Refused(nameof(ActivityForm.OwnerUserId), "Choose an owner from the district's team.");
        var activity = new PlanActivity
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, StrategyId = strategyId, Title = FormText.Clean(form.Title),
            OwnerUserId = owner, StartDate = form.StartDate, DueDate = form.DueDate, DoneDate = form.DoneDate, AllBuildings = form.AllBuildings,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(activity.Id);
    }

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
        db.PlanCheckIns.Add(checkIn);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(checkIn.Id);
    }

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
        if (!MeasureValues.Sane(form.Value, unit)) return new PlanWriteResult.Refused(nameof(MeasureValueForm.Value), MeasureValues.Message(unit));
        if (form.BuildingId is { } buildingId && !await db.Buildings.AnyAsync(b => b.Id == buildingId && b.DistrictId == place.DistrictId))
            return new PlanWriteResult.Refused(nameof(MeasureValueForm.BuildingId), "Choose one of the district's buildings, or the whole district.");
        var now = clock.GetUtcNow();
        // A value is something measured: it cannot come from a day that has not come in the district yet.
        if (form.Date > DistrictCalendar.Today(now, place.TimeZoneId))
            return new PlanWriteResult.Refused(nameof(MeasureValueForm.Date), "A value cannot be dated after today.");
        var value = new PlanMeasureValue
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, MeasureId = measureId, Date = form.Date!.Value, Value = form.Value!.Value,
            BuildingId = form.BuildingId, Note = FormText.Clean(form.Note), RecordedByUserId = userId, RecordedAt = now,
        };
        db.PlanMeasureValues.Add(value);
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(value.Id);
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
