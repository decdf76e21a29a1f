using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;

namespace MicipPlanner.Web.Features.Organisation;

/// <summary>Starts an improvement cycle: a blank rubric on the newest toolkit and the default "Whole team" group.</summary>
public sealed class CycleStarter(AppDbContext db, ToolkitCatalog toolkits, TimeProvider clock)
{
    public async Task<Cycle> StartAsync(int districtId, int startYear, CancellationToken cancellationToken = default)
    {
        var toolkit = toolkits.Default;
        var cycle = new Cycle
        {
            DistrictId = districtId,
            StartYear = startYear,
            ToolkitKey = toolkit.Key,
            ToolkitVersion = toolkit.Version,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Cycles.Add(cycle);
        await db.SaveChangesAsync(cancellationToken);
        db.RatingGroups.Add(new RatingGroup
        {
            DistrictId = districtId,
            CycleId = cycle.Id,
            Name = RatingGroup.WholeTeamName,
            IsWholeTeam = true,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return cycle;
    }
}
