using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Saving;

/// <summary>
/// Once a transaction commits (a save's own, or one the caller opened around several saves), tells the
/// <see cref="IDataChangeListener"/> which districts' data versions its saves raised and which records they wrote, so the
/// live updates go out after the data is there to read. A rolled-back transaction's saves are forgotten.
/// </summary>
internal sealed class CommitPublisher(IDataChangeListener listener) : DbTransactionInterceptor
{
    // A transaction starting has nothing awaiting yet: what a failed save of an earlier one left is dropped here.
    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Publish(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Publish(DbContext? context)
    {
        if (context is not AppDbContext { DistrictsAwaitingCommit.Count: > 0 } db) return;
        var districts = db.DistrictsAwaitingCommit.ToArray();
        var records = db.RecordsAwaitingCommit.ToArray();
        db.DistrictsAwaitingCommit.Clear();
        db.RecordsAwaitingCommit.Clear();
        listener.Committed(districts, records);
    }

    private static void Forget(DbContext? context)
    {
        if (context is not AppDbContext db) return;
        db.DistrictsAwaitingCommit.Clear();
        db.RecordsAwaitingCommit.Clear();
    }
}
