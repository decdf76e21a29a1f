using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>What became of a group's rating of a row.</summary>
public abstract record RatingSaveResult
{
    public sealed record Saved(Guid Version, DateTimeOffset At) : RatingSaveResult;

    /// <summary>Someone saved the row since the person loaded it: theirs is what is stored now.</summary>
    public sealed record Conflict(StoredRatingState Theirs) : RatingSaveResult;
}

public sealed record StoredRatingState(int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string? By);

public sealed record RatingChange(string RowKey, int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string? By, bool Mine);

/// <summary>
/// Saving one group's rating of one row under the version chain (a stale form never overwrites a newer save), and the
/// changes other people made since a moment. Shared by the rubric page and the workshop's participant page.
/// </summary>
public static class RatingWriter
{
    public const string LockedMessage = "The rubric for this cycle is finalized, so ratings are locked. A key leader or facilitator can reopen it.";

    public static async Task<RatingSaveResult> SaveAsync(AppDbContext db, int districtId, int cycleId, int groupId, string rowKey,
        RatingForm form, string userId, DateTimeOffset now)
    {
        var evidence = (form.Evidence ?? "").Trim();
        var rating = await RatingOfRow(db, groupId, rowKey);
        try
        {
            if (rating is null)
            {
                rating = new RubricRating { DistrictId = districtId, CycleId = cycleId, RatingGroupId = groupId, RowKey = rowKey };
                db.RubricRatings.Add(rating);
            }
            else if (form.Version != rating.Version)
            {
                return new RatingSaveResult.Conflict(await TheirsAsync(db, groupId, rowKey));
            }
            else
            {
                db.Entry(rating).Property(r => r.Version).OriginalValue = form.Version!.Value;
            }
            rating.Level = form.Level;
            rating.Evidence = evidence;
            rating.UpdatedAt = now;
            rating.UpdatedByUserId = userId;
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another save of the same row won (a stale version, or two first ratings at once).
            db.ChangeTracker.Clear();
            return new RatingSaveResult.Conflict(await TheirsAsync(db, groupId, rowKey));
        }
        return new RatingSaveResult.Saved(rating.Version, now);
    }

    public static async Task<StoredRatingState> TheirsAsync(AppDbContext db, int groupId, string rowKey) =>
        await db.RubricRatings.Where(r => r.RatingGroupId == groupId && r.RowKey == rowKey)
            .Select(r => new StoredRatingState(r.Level, r.Evidence, r.Version, r.UpdatedAt,
                db.Users.Where(u => u.Id == r.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault()))
            .AsNoTracking().SingleAsync();

    /// <summary>Ratings of a group changed after <paramref name="from"/>.</summary>
    public static async Task<List<RatingChange>> ChangesAsync(AppDbContext db, int groupId, DateTimeOffset from, string? currentUserId)
    {
        var changes = new List<RatingChange>();
        await foreach (var change in ChangesOf(db, groupId, from, currentUserId)) changes.Add(change);
        return changes;
    }

    // Compiled once: every open rubric page and every workshop participant polls it every few seconds.
    private static readonly Func<AppDbContext, int, DateTimeOffset, string?, IAsyncEnumerable<RatingChange>> ChangesOf = EF.CompileAsyncQuery(
        (AppDbContext db, int groupId, DateTimeOffset from, string? currentUserId) => db.RubricRatings.AsNoTracking()
            .Where(r => r.RatingGroupId == groupId && r.UpdatedAt > from)
            .Select(r => new RatingChange(r.RowKey, r.Level, r.Evidence, r.Version, r.UpdatedAt,
                db.Users.Where(u => u.Id == r.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                r.UpdatedByUserId == currentUserId)));

    // The JSON the rubric script (rubric.js) reads, the same from every page that uses it.
    public static object SavedJson(RatingSaveResult.Saved saved, TimeZoneInfo zone) =>
        new { saved = true, version = saved.Version, savedAt = TimeZones.Format(saved.At, zone), savedAtMs = saved.At.ToUnixTimeMilliseconds() };

    /// <summary>409: someone saved the row since the form was loaded; <c>theirs</c> is what is stored now.</summary>
    public static IActionResult ConflictProblem(ControllerBase controller, StoredRatingState theirs, TimeZoneInfo zone) =>
        controller.Refused(StatusCodes.Status409Conflict, "The row changed", $"{theirs.By ?? "Someone"} saved this row while you were editing.",
            ("conflict", true),
            ("theirs", new { level = theirs.Level, evidence = theirs.Evidence, version = theirs.Version, by = theirs.By, at = TimeZones.Format(theirs.UpdatedAt, zone) }));

    /// <summary>409: the cycle's rubric is finalized.</summary>
    public static IActionResult LockedProblem(ControllerBase controller) =>
        controller.Refused(StatusCodes.Status409Conflict, "Ratings are locked", LockedMessage, ("locked", true));

    public static object ChangesJson(DateTimeOffset now, bool finalized, IEnumerable<RatingChange> changes, TimeZoneInfo zone) => new
    {
        now = now.ToUnixTimeMilliseconds(),
        finalized,
        changes = changes.Select(c => new
        {
            rowKey = c.RowKey, level = c.Level, evidence = c.Evidence, version = c.Version, by = c.By, mine = c.Mine,
            at = TimeZones.Format(c.UpdatedAt, zone),
        }),
    };

    // Compiled once: the autosave runs it for every keystroke pause of every person rating.
    private static readonly Func<AppDbContext, int, string, Task<RubricRating?>> RatingOfRow = EF.CompileAsyncQuery(
        (AppDbContext db, int groupId, string rowKey) => db.RubricRatings.SingleOrDefault(r => r.RatingGroupId == groupId && r.RowKey == rowKey));
}
