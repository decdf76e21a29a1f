using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// The year-end evaluation of the plan's goals, and next year's plan made from its decisions: goals the team maintained
/// or revised are carried into the next cycle when it confirms them, with their unfinished activities and their measures.
/// </summary>
public sealed partial class PlanWriter
{
    /// <summary>
    /// A goal's evaluation saved: the first save adds it, later ones change it only while it is still the version the form
    /// was shown with (two first saves at once: the second is a conflict).
    /// </summary>
    public async Task<PlanWriteResult> SaveGoalEvaluationAsync(CyclePlace place, int goalId, GoalEvaluationForm form, string userId)
    {
        if (!await db.PlanGoals.AnyAsync(g => g.Id == goalId && g.CycleId == place.CycleId && g.DistrictId == place.DistrictId))
            return new PlanWriteResult.NotFound();
        var stored = await db.GoalEvaluations.SingleOrDefaultAsync(e => e.GoalId == goalId);
        var kept = await db.SaveVersionedAsync(stored, form.Version,
            () => new GoalEvaluation { DistrictId = place.DistrictId, CycleId = place.CycleId, GoalId = goalId },
            evaluation =>
            {
                evaluation.Readiness = FormText.Clean(form.Readiness);
                evaluation.Fidelity = FormText.Clean(form.Fidelity);
                evaluation.ScaleAndReach = FormText.Clean(form.ScaleAndReach);
                evaluation.Impact = FormText.Clean(form.Impact);
                evaluation.AmountUsed = form.AmountUsed;
                evaluation.Decision = form.Decision;
                evaluation.Rationale = FormText.Clean(form.Rationale);
                evaluation.UpdatedByUserId = userId;
                evaluation.UpdatedAt = clock.GetUtcNow();
            },
            () => db.GoalEvaluations.AnyAsync(e => e.GoalId == goalId));
        return kept ? new PlanWriteResult.Saved(goalId) : new PlanWriteResult.Conflict();
    }

    /// <summary>
    /// Carries the chosen goals of last year's cycle into this one: each must have been maintained or revised there. A goal
    /// comes with its strategies (funding source, not last year's amount), its activities not done (owner and buildings,
    /// to be dated anew) and the measures still watched on any of them; a carried measure continues its line's value
    /// history. A goal already carried (a second submit, two people at once) is not carried again.
    /// </summary>
    public async Task<PlanWriteResult> CarryGoalsOverAsync(CyclePlace place, int startYear, CarryOverForm form, string userId)
    {
        var previousCycleId = await db.Cycles.Where(c => c.DistrictId == place.DistrictId && c.StartYear == startYear - 1)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (previousCycleId is not { } fromCycle) return new PlanWriteResult.NotFound();
        var chosen = form.GoalIds.Distinct().ToList();
        var goals = await db.PlanGoals.AsNoTracking().Where(g => chosen.Contains(g.Id) && g.CycleId == fromCycle && g.DistrictId == place.DistrictId)
            .OrderBy(g => g.SortOrder).ThenBy(g => g.Id).ToListAsync();
        var decisions = await db.GoalEvaluations.AsNoTracking().Where(e => chosen.Contains(e.GoalId) && e.CycleId == fromCycle)
            .ToDictionaryAsync(e => e.GoalId, e => e.Decision);
        if (goals.Count != chosen.Count || goals.Any(g => !GoalEvaluationRules.CarriesOver(decisions.GetValueOrDefault(g.Id))))
            return new PlanWriteResult.Refused(nameof(CarryOverForm.GoalIds), "Choose goals that last year's evaluation decided to maintain or revise.");
        var carried = await db.PlanGoals.Where(g => g.CarriedFromGoalId != null && chosen.Contains(g.CarriedFromGoalId.Value))
            .Select(g => g.CarriedFromGoalId!.Value).ToListAsync();
        var toCarry = goals.Where(g => !carried.Contains(g.Id)).ToList();
        if (toCarry.Count == 0) return new PlanWriteResult.Saved(0, "These goals are already in this year's plan.");

        var ids = toCarry.Select(g => g.Id).ToList();
        var strategies = await db.PlanStrategies.AsNoTracking().Where(s => ids.Contains(s.GoalId)).OrderBy(s => s.Id).ToListAsync();
        var strategyIds = strategies.Select(s => s.Id).ToList();
        var activities = await db.PlanActivities.AsNoTracking().Where(a => strategyIds.Contains(a.StrategyId) && a.DoneDate == null).OrderBy(a => a.Id).ToListAsync();
        var activityIds = activities.Select(a => a.Id).ToList();
        var activityBuildings = (await db.PlanActivityBuildings.AsNoTracking().Where(b => activityIds.Contains(b.ActivityId)).ToListAsync())
            .ToLookup(b => b.ActivityId, b => b.BuildingId);
        var measures = await db.PlanMeasures.AsNoTracking().Where(m => m.ArchivedAt == null && m.CycleId == fromCycle
                && ((m.GoalId != null && ids.Contains(m.GoalId.Value)) || (m.StrategyId != null && strategyIds.Contains(m.StrategyId.Value))
                    || (m.ActivityId != null && activityIds.Contains(m.ActivityId.Value))))
            .OrderBy(m => m.Id).ToListAsync();

        var now = clock.GetUtcNow();
        var last = await db.PlanGoals.Where(g => g.CycleId == place.CycleId).MaxAsync(g => (int?)g.SortOrder) ?? 0;
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            var newGoals = toCarry.ToDictionary(g => g.Id, g => new PlanGoal
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId, Statement = g.Statement, RubricRowKeys = g.RubricRowKeys, State = GoalState.Active,
                SortOrder = ++last, CarriedFromGoalId = g.Id, CreatedByUserId = userId, CreatedAt = now,
            });
            db.PlanGoals.AddRange(newGoals.Values);
            await db.SaveChangesAsync();
            var newStrategies = strategies.ToDictionary(s => s.Id, s => new PlanStrategy
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId, GoalId = newGoals[s.GoalId].Id, Title = s.Title, Systems = s.Systems,
                FundingSource = s.FundingSource, CreatedByUserId = userId, CreatedAt = now,
            });
            db.PlanStrategies.AddRange(newStrategies.Values);
            await db.SaveChangesAsync();
            var newActivities = activities.ToDictionary(a => a.Id, a => new PlanActivity
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId, StrategyId = newStrategies[a.StrategyId].Id, Title = a.Title,
                OwnerUserId = a.OwnerUserId, AllBuildings = a.AllBuildings, CreatedByUserId = userId, CreatedAt = now,
            });
            db.PlanActivities.AddRange(newActivities.Values);
            await db.SaveChangesAsync();
            db.PlanActivityBuildings.AddRange(activities.Where(a => !a.AllBuildings).SelectMany(a => activityBuildings[a.Id].Order()
                .Select(b => new PlanActivityBuilding { DistrictId = place.DistrictId, ActivityId = newActivities[a.Id].Id, BuildingId = b })));
            // The measure's definition comes along; this year's targets are the team's to set.
            db.PlanMeasures.AddRange(measures.Select(m => new PlanMeasure
            {
                DistrictId = place.DistrictId, CycleId = place.CycleId,
                GoalId = m.GoalId is { } g ? newGoals[g].Id : null,
                StrategyId = m.StrategyId is { } s ? newStrategies[s].Id : null,
                ActivityId = m.ActivityId is { } a ? newActivities[a].Id : null,
                Name = m.Name, Kind = m.Kind, Unit = m.Unit, Better = m.Better, BaselineValue = m.BaselineValue, BaselineDate = m.BaselineDate,
                DataSource = m.DataSource, HistoryMeasureId = m.HistoryKey, CreatedByUserId = userId, CreatedAt = now,
            }));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        catch (DbUpdateException)
        {
            // Carried by someone else in the same moment: the unique link kept the second copy out, and none of this one stays.
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
            if (await db.PlanGoals.AnyAsync(g => g.CarriedFromGoalId != null && ids.Contains(g.CarriedFromGoalId.Value)))
                return new PlanWriteResult.Saved(0, "These goals were carried over meanwhile; they are in this year's plan.");
            throw;
        }
        return new PlanWriteResult.Saved(toCarry.Count, toCarry.Count == 1 ? "One goal carried over." : $"{toCarry.Count} goals carried over.");
    }
}
