using System.Data.Common;
using MicipPlanner.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Raises <see cref="AppDbContext.DataVersion"/> of every district whose records a save adds, changes or deletes, in
/// the same transaction: a page's state request can answer "nothing changed" while that number is unchanged. Once the
/// transaction commits (the save's own, or one the caller opened around several saves), it tells the
/// <see cref="IDataChangeListener"/> which districts moved, so the live updates go out after the data is there to read.
/// </summary>
public sealed class DataVersionInterceptor(IDataChangeListener listener) : RaiseAfterSaveInterceptor, IDbTransactionInterceptor
{
    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Starting(eventData) is not { } work) return;
        var db = (AppDbContext)eventData.Context!;
        var districts = new HashSet<int>();
        var records = new List<object>();
        foreach (var entry in db.ChangeTracker.Entries<Entity>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var districtId = DistrictPath.DistrictOf(entry);
            if (districtId is not > 0) continue;
            districts.Add(districtId.Value);
            records.Add(entry.Entity);
        }
        work.Districts = districts;
        work.Records = records;
    }

    // Plain SQL: it runs inside the write (and the SQLite write gate) of every save, where a LINQ ExecuteUpdate cost a
    // visible share of the save's time. Names are quoted as standard SQL does, since PostgreSQL folds unquoted names
    // to lower case and the tables were created with their names as written.
    private protected override IEnumerable<FormattableString> AfterSave(SaveWork work) =>
        work.Districts.Select(districtId => (FormattableString)$"""UPDATE "Districts" SET "DataVersion" = "DataVersion" + 1 WHERE "Id" = {districtId}""");

    private protected override void Raised(AppDbContext db, SaveWork work)
    {
        db.DistrictsAwaitingCommit.UnionWith(work.Districts);
        db.RecordsAwaitingCommit.AddRange(work.Records);
    }

    // A transaction starting has nothing awaiting yet: what a failed save of an earlier one left is dropped here.
    public InterceptionResult TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Publish(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
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
