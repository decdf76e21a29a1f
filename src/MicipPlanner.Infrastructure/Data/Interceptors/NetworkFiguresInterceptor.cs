using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Raises <see cref="AppDbContext.FiguresVersion"/> of every network whose benchmarks a save can change, in the same
/// transaction: a district joins or leaves it, a member district turns sharing on or off, or a member's rubric is
/// finalized, reopened or finalized again (a finalized rubric's consensus cannot change until it is reopened). Everyday
/// saves (ratings, templates, notes) leave it alone, so the network page's kept counts survive them.
/// </summary>
public sealed class NetworkFiguresInterceptor : RaiseAfterSaveInterceptor
{
    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Starting(eventData) is not { } work) return;
        var db = (AppDbContext)eventData.Context!;
        List<Func<int>> districts = [], networks = [];
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case NetworkMembership membership when entry.State is EntityState.Added or EntityState.Deleted:
                    networks.Add(() => membership.NetworkId);
                    break;
                case District district when entry.State == EntityState.Modified && entry.Property(nameof(District.SharesWithNetworks)).IsModified:
                    districts.Add(() => district.Id);
                    break;
                case District district when entry.State == EntityState.Deleted:
                    // Its memberships go with it (a cascade in the database), so its networks are found now.
                    foreach (var networkId in db.NetworkMemberships.Where(m => m.DistrictId == district.Id).Select(m => m.NetworkId).ToList())
                        networks.Add(() => networkId);
                    break;
                case Cycle cycle when FinalizationMoves(entry):
                    districts.Add(() => cycle.DistrictId);
                    break;
            }
        }
        work.FigureDistricts = districts;
        work.FigureNetworks = networks;
    }

    private static bool FinalizationMoves(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry)
    {
        var finalized = entry.Property(nameof(Cycle.RubricFinalizedAt));
        return entry.State switch
        {
            EntityState.Added => finalized.CurrentValue is not null,
            EntityState.Modified => finalized.IsModified,
            EntityState.Deleted => finalized.OriginalValue is not null,
            _ => false,
        };
    }

    // Names quoted as standard SQL does, which all three providers read the same (PostgreSQL folds unquoted ones).
    private protected override IEnumerable<FormattableString> AfterSave(SaveWork work) =>
        work.FigureNetworks.Select(id => id()).Distinct()
            .Select(id => (FormattableString)$"""UPDATE "Networks" SET "FiguresVersion" = "FiguresVersion" + 1 WHERE "Id" = {id}""")
            .Concat(work.FigureDistricts.Select(id => id()).Distinct().Select(id => (FormattableString)
                $"""UPDATE "Networks" SET "FiguresVersion" = "FiguresVersion" + 1 WHERE "Id" IN (SELECT "NetworkId" FROM "NetworkMemberships" WHERE "DistrictId" = {id})"""));
}
