using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>A save interceptor whose work before the save is the same for <c>SaveChanges</c> and <c>SaveChangesAsync</c>.</summary>
public abstract class BeforeSaveInterceptor : SaveChangesInterceptor
{
    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        BeforeSave(eventData);
        return result;
    }

    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        BeforeSave(eventData);
        return ValueTask.FromResult(result);
    }

    /// <summary>Runs before the changes are saved, inside the save's transaction.</summary>
    protected abstract void BeforeSave(DbContextEventData eventData);
}
