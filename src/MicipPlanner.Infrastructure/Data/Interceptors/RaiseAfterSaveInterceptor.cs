using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// A save interceptor that, once the records are written, runs a few plain SQL commands of its own in the same
/// transaction (raising a version number), for <c>SaveChanges</c> and <c>SaveChangesAsync</c> alike.
/// </summary>
public abstract class RaiseAfterSaveInterceptor : BeforeSaveInterceptor
{
    public sealed override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (SaveWork.Current(eventData) is { } work)
        {
            foreach (var command in AfterSave(work)) eventData.Context!.Database.ExecuteSql(command);
            Raised((AppDbContext)eventData.Context!, work);
        }
        return result;
    }

    public sealed override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (SaveWork.Current(eventData) is { } work)
        {
            foreach (var command in AfterSave(work)) await eventData.Context!.Database.ExecuteSqlAsync(command, cancellationToken);
            Raised((AppDbContext)eventData.Context!, work);
        }
        return result;
    }

    /// <summary>The commands to run after the save, written so they read the same on every provider (quoted names).</summary>
    private protected abstract IEnumerable<FormattableString> AfterSave(SaveWork work);

    /// <summary>After the commands ran, still inside the transaction (which may yet be rolled back).</summary>
    private protected virtual void Raised(AppDbContext db, SaveWork work) { }
}
