using MicipPlanner.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Gives every added or changed domain record a new <see cref="Entity.Version"/>, the token an autosave sends back to
/// detect a concurrent change. A restored backup keeps the versions it carries (<see cref="AppDbContext.PreserveVersions"/>).
/// </summary>
public sealed class VersionRenewalInterceptor : BeforeSaveInterceptor
{
    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Begin(eventData) is null) return;
        var db = (AppDbContext)eventData.Context!;
        // Callers that switch automatic detection off (the data generator) still get their changes seen.
        db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries<Entity>())
        {
            if (entry.State is EntityState.Modified || (entry.State is EntityState.Added && !db.PreserveVersions))
                entry.Entity.Version = Guid.NewGuid();
        }
    }
}
