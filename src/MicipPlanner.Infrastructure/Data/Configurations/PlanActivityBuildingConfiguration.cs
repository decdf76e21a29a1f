using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanActivityBuildingConfiguration : IEntityTypeConfiguration<PlanActivityBuilding>
{
    public void Configure(EntityTypeBuilder<PlanActivityBuilding> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<PlanActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
        // Buildings are archived, not deleted; a second cascade path from the district would be refused by SQL Server.
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ActivityId, x.BuildingId }).IsUnique();
        b.HasIndex(x => x.BuildingId);
        b.HasIndex(x => x.DistrictId);
    }
}
