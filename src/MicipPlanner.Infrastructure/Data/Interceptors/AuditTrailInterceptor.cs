using MicipPlanner.Domain.Review;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Writes who changed which field of a domain record, when, from what to what, in the same transaction as the change
/// (<see cref="AuditTrail"/>). Off while <see cref="AppDbContext.AuditEnabled"/> is false (bulk import, data generator).
/// </summary>
/// <remarks>A singleton: the person acting is read from <paramref name="user"/> at each save, not kept.</remarks>
public sealed class AuditTrailInterceptor(ICurrentUser user, TimeProvider clock) : BeforeSaveInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        var (work, saved) = SecondRound(eventData, result);
        if (work is null) return saved;
        try
        {
            eventData.Context!.SaveChanges();
        }
        finally
        {
            work.Inner = false;
        }
        return saved;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        var (work, saved) = SecondRound(eventData, result);
        if (work is null) return saved;
        try
        {
            await eventData.Context!.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            work.Inner = false;
        }
        return saved;
    }

    /// <summary>
    /// After the save: the rows written in its batch are not the caller's, so they leave the count; audit rows of new records
    /// (whose keys only exist now) are added for a second, inner save, and the work is returned to run it.
    /// </summary>
    private static (SaveWork? Work, int Result) SecondRound(SaveChangesCompletedEventData eventData, int result)
    {
        if (SaveWork.Current(eventData) is not { } work) return (null, result);
        if (work.AuditRowsInBatch > 0) return (null, result - work.AuditRowsInBatch);
        if (work.Audit.Count == 0) return (null, result);
        var db = (AppDbContext)eventData.Context!;
        db.AuditEntries.AddRange(Complete(work));
        work.Inner = true;
        return (work, result);
    }

    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Starting(eventData) is not { } work) return;
        var db = (AppDbContext)eventData.Context!;
        work.AuditRowsInBatch = 0;
        work.Audit = db.AuditEnabled ? AuditTrail.Collect(db.ChangeTracker, user.UserId, user.Via, clock.GetUtcNow()) : [];
        if (work.Audit.Count == 0 || !KeysKnown(work.Audit)) return;
        var rows = Complete(work);
        db.AuditEntries.AddRange(rows);
        work.AuditRowsInBatch = rows.Count;
        work.Audit = [];
    }

    private static List<AuditEntry> Complete(SaveWork work) =>
        AuditTrail.Complete(work.Audit).ToList();

    /// <summary>
    /// Changes and deletions only (an autosave): every record's key is known, so its audit rows go in the same batch
    /// of commands. A new record gets its key only on insert, so its audit rows need a second round after it.
    /// </summary>
    private static bool KeysKnown(List<AuditDraft> pending) => pending.All(d => d.Action != AuditAction.Create);
}
