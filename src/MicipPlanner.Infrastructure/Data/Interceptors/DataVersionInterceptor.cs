using MicipPlanner.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Raises <see cref="AppDbContext.DataVersion"/> of every district whose records a save adds, changes or deletes, in
/// the same transaction: a poll (the workshop presenter's) can answer "nothing changed" while that number is unchanged.
/// </summary>
public sealed class DataVersionInterceptor : RaiseAfterSaveInterceptor
{
    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Starting(eventData) is not { } work) return;
        var db = (AppDbContext)eventData.Context!;
        var districts = new HashSet<int>();
        foreach (var entry in db.ChangeTracker.Entries<Entity>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var districtId = DistrictPath.DistrictOf(entry);
            if (districtId is > 0) districts.Add(districtId.Value);
        }
        work.Districts = districts;
    }

    // Plain SQL: it runs inside the write (and the SQLite write gate) of every save, where a LINQ ExecuteUpdate cost a
    // visible share of the save's time. Names are quoted as standard SQL does, since PostgreSQL folds unquoted names
    // to lower case and the tables were created with their names as written.
    private protected override IEnumerable<FormattableString> AfterSave(SaveWork work) =>
        work.Districts.Select(districtId => (FormattableString)$"""UPDATE "Districts" SET "DataVersion" = "DataVersion" + 1 WHERE "Id" = {districtId}""");
}
