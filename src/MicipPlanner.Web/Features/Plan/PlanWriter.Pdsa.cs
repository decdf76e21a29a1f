using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Pdsa;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>
/// PDSA cycles on the plan's activities: planned, carried out, studied and decided in that order (<see cref="PdsaRules"/>),
/// each change under the version the form was shown with, like every other record of the plan.
/// </summary>
public sealed partial class PlanWriter
{
    /// <summary>Plans a cycle on an activity, or the next cycle of one whose change was adopted or adapted.</summary>
    public async Task<PlanWriteResult> AddPdsaCycleAsync(CyclePlace place, int activityId, PdsaPlanForm form, string userId)
    {
        if (await ActivityAsync(place, activityId) is null) return new PlanWriteResult.NotFound();
        if (form.PreviousPdsaCycleId is { } previousId)
        {
            var previous = await db.PdsaCycles.AsNoTracking().Where(p => p.Id == previousId && p.ActivityId == activityId && p.DistrictId == place.DistrictId)
                .Select(p => new { p.Stage, p.Decision, HasNext = db.PdsaCycles.Any(n => n.PreviousPdsaCycleId == p.Id) }).FirstOrDefaultAsync();
            if (previous is null) return new PlanWriteResult.NotFound();
            if (PdsaRules.Refusal(PdsaStep.PlanNextCycle, previous.Stage, previous.Decision, previous.HasNext) is { } refusal)
                return new PlanWriteResult.Refused("", refusal);
        }
        if (await PdsaMeasuresRefusalAsync(place, form.MeasureIds) is { } refused) return refused;
        var pdsa = new PdsaCycle
        {
            DistrictId = place.DistrictId, CycleId = place.CycleId, ActivityId = activityId, PreviousPdsaCycleId = form.PreviousPdsaCycleId,
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        };
        SetPlan(pdsa, form);
        db.PdsaCycles.Add(pdsa);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (form.PreviousPdsaCycleId is not null)
        {
            // Someone planned the next cycle of the same cycle in the same moment: the unique index kept this one out.
            // Anything else is no refusal and goes on up.
            db.ChangeTracker.Clear();
            if (await db.PdsaCycles.AsNoTracking().AnyAsync(p => p.PreviousPdsaCycleId == form.PreviousPdsaCycleId))
                return new PlanWriteResult.Refused("", "This cycle already has a next cycle.");
            throw;
        }
        db.PdsaMeasureLinks.AddRange(form.MeasureIds.Distinct().Order()
            .Select(m => new PdsaMeasureLink { DistrictId = place.DistrictId, PdsaCycleId = pdsa.Id, MeasureId = m }));
        await db.SaveChangesAsync();
        return new PlanWriteResult.Saved(pdsa.Id);
    }

    /// <summary>The plan corrected while the test has not been carried out; its measures follow the form.</summary>
    public async Task<PlanWriteResult> EditPdsaPlanAsync(CyclePlace place, int pdsaId, PdsaPlanEditForm form)
    {
        var pdsa = await PdsaAsync(place, pdsaId);
        if (pdsa is null) return new PlanWriteResult.NotFound();
        if (PdsaRules.Refusal(PdsaStep.EditPlan, pdsa.Stage) is { } refusal) return new PlanWriteResult.Refused("", refusal);
        if (await PdsaMeasuresRefusalAsync(place, form.MeasureIds) is { } refused) return refused;
        ShownAs(pdsa, form.Version);
        SetPlan(pdsa, form);
        var chosen = form.MeasureIds.Distinct().ToList();
        var links = await db.PdsaMeasureLinks.Where(l => l.PdsaCycleId == pdsaId).ToListAsync();
        db.PdsaMeasureLinks.RemoveRange(links.Where(l => !chosen.Contains(l.MeasureId)));
        db.PdsaMeasureLinks.AddRange(chosen.Where(m => links.All(l => l.MeasureId != m)).Order()
            .Select(m => new PdsaMeasureLink { DistrictId = place.DistrictId, PdsaCycleId = pdsaId, MeasureId = m }));
        return await SaveAsync(pdsa.Id);
    }

    public Task<PlanWriteResult> RecordPdsaDoAsync(CyclePlace place, int pdsaId, PdsaDoForm form) =>
        MovePdsaAsync(place, pdsaId, PdsaStep.RecordDo, form.Version, pdsa =>
        {
            pdsa.WhatHappened = FormText.Clean(form.WhatHappened);
            pdsa.Problems = FormText.Clean(form.Problems);
            pdsa.Observations = FormText.Clean(form.Observations);
        });

    public Task<PlanWriteResult> RecordPdsaStudyAsync(CyclePlace place, int pdsaId, PdsaStudyForm form) =>
        MovePdsaAsync(place, pdsaId, PdsaStep.RecordStudy, form.Version, pdsa =>
        {
            pdsa.Result = FormText.Clean(form.Result);
            pdsa.PredictionOutcome = form.PredictionOutcome!.Value;
        });

    public Task<PlanWriteResult> RecordPdsaActAsync(CyclePlace place, int pdsaId, PdsaActForm form) =>
        MovePdsaAsync(place, pdsaId, PdsaStep.RecordAct, form.Version, pdsa =>
        {
            pdsa.Decision = form.Decision!.Value;
            pdsa.DecisionNote = FormText.Clean(form.DecisionNote);
        });

    /// <summary>
    /// One stage's record written, when the cycle's stage allows it; the cycle then stands at that stage. A refusal of the
    /// stage is about the cycle, not a field (the page may no longer show that form), so it goes to the page's summary.
    /// </summary>
    private async Task<PlanWriteResult> MovePdsaAsync(CyclePlace place, int pdsaId, PdsaStep step, Guid? version, Action<PdsaCycle> write)
    {
        var pdsa = await PdsaAsync(place, pdsaId);
        if (pdsa is null) return new PlanWriteResult.NotFound();
        if (PdsaRules.Refusal(step, pdsa.Stage) is { } refusal) return new PlanWriteResult.Refused("", refusal);
        ShownAs(pdsa, version);
        write(pdsa);
        pdsa.Stage = PdsaRules.After(step, pdsa.Stage);
        return await SaveAsync(pdsa.Id);
    }

    private static void SetPlan(PdsaCycle pdsa, PdsaPlanForm form)
    {
        pdsa.ChangeIdea = FormText.Clean(form.ChangeIdea);
        pdsa.Question = FormText.Clean(form.Question);
        pdsa.Prediction = FormText.Clean(form.Prediction);
        pdsa.Who = FormText.Clean(form.Who);
        pdsa.Where = FormText.Clean(form.Where);
        pdsa.StartDate = form.StartDate;
        pdsa.EndDate = form.EndDate;
    }

    /// <summary>Every measure named must be one of the cycle's plan that is still watched.</summary>
    private async Task<PlanWriteResult.Refused?> PdsaMeasuresRefusalAsync(CyclePlace place, IReadOnlyCollection<int> measureIds)
    {
        var chosen = measureIds.Distinct().ToList();
        if (chosen.Count == 0) return null;
        var ours = await db.PlanMeasures.CountAsync(m => chosen.Contains(m.Id) && m.CycleId == place.CycleId && m.DistrictId == place.DistrictId && m.ArchivedAt == null);
        return ours == chosen.Count ? null : new(nameof(PdsaPlanForm.MeasureIds), "Choose measures of the plan.");
    }

    private Task<PdsaCycle?> PdsaAsync(CyclePlace place, int pdsaId) =>
        db.PdsaCycles.SingleOrDefaultAsync(p => p.Id == pdsaId && p.CycleId == place.CycleId && p.DistrictId == place.DistrictId);
}
