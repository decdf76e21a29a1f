using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>What became of an answer to a discussion question.</summary>
public abstract record DiscussionSaveResult
{
    public sealed record Saved : DiscussionSaveResult;

    /// <summary>Someone saved the answer since the form was shown: theirs is what is stored now, nothing of this one was kept.</summary>
    public sealed record Conflict : DiscussionSaveResult;
}

/// <summary>
/// The one write path of the discussion's answers, one note per question of a cycle, under the version chain. Used by the
/// team's discussion page and the workshop's participant page alike; the permission is the caller's check.
/// </summary>
public sealed class DiscussionWriter(AppDbContext db, TimeProvider clock)
{
    public async Task<DiscussionSaveResult> SaveAsync(int districtId, int cycleId, string questionKey, DiscussionForm form, string userId)
    {
        var stored = await db.DiscussionNotes.SingleOrDefaultAsync(n => n.CycleId == cycleId && n.QuestionKey == questionKey);
        var kept = await db.SaveVersionedAsync(stored, form.Version,
            () => new DiscussionNote { DistrictId = districtId, CycleId = cycleId, QuestionKey = questionKey },
            note =>
            {
                note.Text = (form.Text ?? "").Trim();
                note.UpdatedAt = clock.GetUtcNow();
                note.UpdatedByUserId = userId;
            },
            () => db.DiscussionNotes.AnyAsync(n => n.CycleId == cycleId && n.QuestionKey == questionKey));
        return kept ? new DiscussionSaveResult.Saved() : new DiscussionSaveResult.Conflict();
    }
}
