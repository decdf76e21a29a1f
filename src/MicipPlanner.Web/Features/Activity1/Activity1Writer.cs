using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Activity1;

/// <summary>What became of an Activity 1 entry.</summary>
public abstract record Activity1WriteResult
{
    public sealed record Saved : Activity1WriteResult;

    /// <summary>The form passed its validator but names something the cycle's toolkit does not have.</summary>
    public sealed record Refused(string Field, string Message) : Activity1WriteResult;
}

/// <summary>
/// The one write path of Activity 1's records (examples of the unintended consequences, each person's learner outcome).
/// Used by the team's Activity 1 page and the workshop's participant page alike; the permission is the caller's check.
/// </summary>
public sealed class Activity1Writer(AppDbContext db, TimeProvider clock)
{
    public async Task<Activity1WriteResult> AddExampleAsync(int districtId, int cycleId, ToolkitDefinition toolkit, ExampleForm form, string userId)
    {
        if (toolkit.Importance.UnintendedConsequences.All(c => c.Key != form.ConsequenceKey))
            return new Activity1WriteResult.Refused(nameof(ExampleForm.ConsequenceKey), "Choose one of the listed unintended consequences.");
        db.ConsequenceExamples.Add(new ConsequenceExample
        {
            DistrictId = districtId, CycleId = cycleId, ConsequenceKey = form.ConsequenceKey!, Description = FormText.Clean(form.Description),
            CreatedByUserId = userId, CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return new Activity1WriteResult.Saved();
    }

    public async Task<Activity1WriteResult> SaveReflectionAsync(int districtId, int cycleId, ToolkitDefinition toolkit, ReflectionForm form, string userId)
    {
        if (form.OutcomeNumber is not { } outcome || outcome < 1 || outcome > toolkit.LearnerOutcomes.Count)
            return new Activity1WriteResult.Refused(nameof(ReflectionForm.OutcomeNumber), "Choose one of the learner outcomes.");
        var reflection = await db.OutcomeReflections.SingleOrDefaultAsync(r => r.CycleId == cycleId && r.UserId == userId);
        if (reflection is null)
        {
            reflection = new OutcomeReflection { DistrictId = districtId, CycleId = cycleId, UserId = userId };
            db.OutcomeReflections.Add(reflection);
        }
        reflection.OutcomeNumber = outcome;
        reflection.Why = FormText.Clean(form.Why);
        reflection.UpdatedAt = clock.GetUtcNow();
        // A lost save is still a saved choice: the same person saved twice at once (two tabs, a double tap), and the other
        // save holds it. Any other failure is no race and goes on up.
        await ConflictSave.SaveUnlessConflictAsync(db, () => db.OutcomeReflections.AnyAsync(r => r.CycleId == cycleId && r.UserId == userId));
        return new Activity1WriteResult.Saved();
    }
}
