using MicipPlanner.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// A form's save under optimistic concurrency: when someone else saved the same record since the form was shown, nothing
/// of this save is kept, the page is to be shown again with status 409 and <paramref name="message"/> in its summary.
/// </summary>
public static class ConflictSave
{
    /// <summary>
    /// Saves, or, when someone else saved one of the records since its version was read, keeps nothing of this save.
    /// For write paths outside a controller (they answer with their own typed result).
    /// </summary>
    /// <param name="storedMeanwhile">
    /// For a save that adds a record under a unique key (the first rating of a row …): whether someone else's record now
    /// holds that key. When it does, the failed insert lost a race and counts as a conflict; when it does not (a foreign
    /// key failure …), the failure is no conflict and goes on up.
    /// </param>
    /// <returns>False when the save lost to someone else's.</returns>
    public static async Task<bool> SaveUnlessConflictAsync(DbContext db, Func<Task<bool>>? storedMeanwhile = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // The page shown again reads the other person's version, not this save's tracked changes.
            db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateException) when (storedMeanwhile is not null)
        {
            db.ChangeTracker.Clear();
            if (await storedMeanwhile()) return false;
            throw;
        }
    }

    /// <summary>
    /// Saves one record of a version chain, the write every autosaved record shares: a record not stored yet is added
    /// (<paramref name="create"/>); a stored one is changed only while it is still the version the form was shown with, so a
    /// stale form never overwrites a newer save. <paramref name="change"/> sets the record's values either way.
    /// </summary>
    /// <param name="storedMeanwhile">Whether someone else stored the record meanwhile: two first saves of it at once.</param>
    /// <returns>False when someone else's save of the record won: nothing of this one is kept.</returns>
    public static async Task<bool> SaveVersionedAsync<T>(this DbContext db, T? stored, Guid? shownVersion, Func<T> create, Action<T> change,
        Func<Task<bool>> storedMeanwhile, CancellationToken cancellationToken = default) where T : Entity
    {
        if (stored is null)
        {
            var added = create();
            db.Add(added);
            change(added);
            return await SaveUnlessConflictAsync(db, storedMeanwhile, cancellationToken);
        }
        if (shownVersion is not { } version || version != stored.Version) return false;
        ShownAs(db, stored, version);
        change(stored);
        return await SaveUnlessConflictAsync(db, null, cancellationToken);
    }

    /// <summary>The record's save goes through only if the stored record is still <paramref name="version"/>.</summary>
    public static void ShownAs<T>(this DbContext db, T record, Guid version) where T : Entity =>
        db.Entry(record).Property(r => r.Version).OriginalValue = version;

    /// <returns>False when the save lost to someone else's (the caller shows its page again).</returns>
    public static async Task<bool> SavedWithoutConflictAsync(this Controller controller, DbContext db, string message)
    {
        if (await SaveUnlessConflictAsync(db, null, controller.HttpContext.RequestAborted)) return true;
        controller.AnswerConflict(message);
        return false;
    }

    /// <summary>Marks the response as a lost save: status 409 and <paramref name="message"/> in the page's summary.</summary>
    public static void AnswerConflict(this Controller controller, string message)
    {
        controller.Response.StatusCode = StatusCodes.Status409Conflict;
        controller.ModelState.AddModelError("", message);
    }
}
