using MicipPlanner.Domain.Plan;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PdsaMeasureLinkConfiguration : IEntityTypeConfiguration<PdsaMeasureLink>
{
    public void Configure(EntityTypeBuilder<PdsaMeasureLink> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<PdsaCycle>().WithMany().HasForeignKey(x => x.PdsaCycleId).OnDelete(DeleteBehavior.Cascade);
        // The measure is of the same plan; SQL Server allows one cascade path from the cycle, which the PDSA cycle takes.
        b.HasOne<PlanMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => new { x.PdsaCycleId, x.MeasureId }).IsUnique();
        b.HasIndex(x => x.MeasureId);
        b.HasIndex(x => x.DistrictId);
    }
}
