using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Registered last: holds a change, its audit rows and its districts' data versions in one transaction so none exists
/// without the others. A save that fails leaves the transaction to <see cref="AppDbContext"/>, which disposes (rolls
/// back) it and opens the write gate whatever way the save ended.
/// </summary>
public sealed class SaveTransactionInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (SaveWork.Starting(eventData) is { NeedsTransaction: true } work && eventData.Context!.Database.CurrentTransaction is null)
            work.OwnTransaction = eventData.Context.Database.BeginTransaction();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (SaveWork.Starting(eventData) is { NeedsTransaction: true } work && eventData.Context!.Database.CurrentTransaction is null)
            work.OwnTransaction = await eventData.Context.Database.BeginTransactionAsync(cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SaveWork.Current(eventData)?.OwnTransaction?.Commit();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (SaveWork.Current(eventData)?.OwnTransaction is { } transaction) await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
