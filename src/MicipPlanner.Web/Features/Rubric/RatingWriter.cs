using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>What became of a group's rating of a row.</summary>
public abstract record RatingSaveResult
{
    public sealed record Saved(Guid Version, DateTimeOffset At) : RatingSaveResult;

    /// <summary>Someone saved the row since the person loaded it: theirs is what is stored now.</summary>
    public sealed record Conflict(StoredRatingState Theirs) : RatingSaveResult;

    /// <summary>The rating cannot be taken (the cycle's rubric is finalized); <paramref name="Message"/> says why.</summary>
    public sealed record Refused(string Message) : RatingSaveResult;
}

public sealed record StoredRatingState(int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string? By);

public sealed record RatingChange(string RowKey, int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string? By, bool Mine);

/// <summary>Where a rating goes: a rating group of a cycle, and whether the cycle's rubric is still open.</summary>
public sealed record RatingPlace(int DistrictId, int CycleId, int GroupId, bool RubricFinalized);

/// <summary>
/// The one write path of rubric ratings: one group's rating of one row, saved under the version chain (a stale form never
/// overwrites a newer save), and the changes other people made since a moment. Used by the rubric page and the workshop's
/// participant page alike; the permission to rate is the caller's check.
/// </summary>
public sealed class RatingWriter(AppDbContext db, TimeProvider clock)
{
    public const string LockedMessage = "The rubric for this cycle is finalized, so ratings are locked. A key leader or facilitator can reopen it.";

    /// <summary>Why no rating can be taken at the place, whatever the form holds; null when it can. Pages answer it before the form's errors.</summary>
    public static RatingSaveResult.Refused? RefusalAt(RatingPlace place) => place.RubricFinalized ? new(LockedMessage) : null;

    public async Task<RatingSaveResult> SaveAsync(RatingPlace place, string rowKey, RatingForm form, string userId)
    {
        if (RefusalAt(place) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var stored = await RatingOfRow(db, place.GroupId, rowKey);
        var saved = stored;
        var kept = await db.SaveVersionedAsync(stored, form.Version,
            () => new RubricRating { DistrictId = place.DistrictId, CycleId = place.CycleId, RatingGroupId = place.GroupId, RowKey = rowKey },
            rating =>
            {
                rating.Level = form.Level;
                rating.Evidence = (form.Evidence ?? "").Trim();
                rating.UpdatedAt = now;
                rating.UpdatedByUserId = userId;
                saved = rating;
            },
            async () => await RatingOfRowExists(db, place.GroupId, rowKey));
        return kept ? new RatingSaveResult.Saved(saved!.Version, now) : new RatingSaveResult.Conflict(await TheirsAsync(place.GroupId, rowKey));
    }

    private async Task<StoredRatingState> TheirsAsync(int groupId, string rowKey) =>
        await db.RubricRatings.Where(r => r.RatingGroupId == groupId && r.RowKey == rowKey)
            .Select(r => new StoredRatingState(r.Level, r.Evidence, r.Version, r.UpdatedAt,
                db.Users.NameOf(r.UpdatedByUserId)))
            .AsNoTracking().SingleAsync();

    /// <summary>Ratings of a group changed after <paramref name="from"/>.</summary>
    public async Task<List<RatingChange>> ChangesAsync(int groupId, DateTimeOffset from, string? currentUserId)
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
                db.Users.NameOf(r.UpdatedByUserId),
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

    private static readonly Func<AppDbContext, int, string, Task<bool>> RatingOfRowExists = EF.CompileAsyncQuery(
        (AppDbContext db, int groupId, string rowKey) => db.RubricRatings.Any(r => r.RatingGroupId == groupId && r.RowKey == rowKey));
}
