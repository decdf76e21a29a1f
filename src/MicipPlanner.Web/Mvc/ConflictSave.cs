using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// A form's save under optimistic concurrency: when someone else saved the same record since the form was shown, nothing
/// of this save is kept, the page is to be shown again with status 409 and <paramref name="message"/> in its summary.
/// </summary>
public static class ConflictSave
{
    /// <returns>False when the save lost to someone else's (the caller shows its page again).</returns>
    public static async Task<bool> SavedWithoutConflictAsync(this Controller controller, DbContext db, string message)
    {
        try
        {
            await db.SaveChangesAsync(controller.HttpContext.RequestAborted);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // The page shown again reads the other person's version, not this save's tracked changes.
            db.ChangeTracker.Clear();
            controller.Response.StatusCode = StatusCodes.Status409Conflict;
            controller.ModelState.AddModelError("", message);
            return false;
        }
    }
}
