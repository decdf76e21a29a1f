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
    /// <returns>False when the save lost to someone else's.</returns>
    public static async Task<bool> SaveUnlessConflictAsync(DbContext db, CancellationToken cancellationToken = default)
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
    }

    /// <returns>False when the save lost to someone else's (the caller shows its page again).</returns>
    public static async Task<bool> SavedWithoutConflictAsync(this Controller controller, DbContext db, string message)
    {
        if (await SaveUnlessConflictAsync(db, controller.HttpContext.RequestAborted)) return true;
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
