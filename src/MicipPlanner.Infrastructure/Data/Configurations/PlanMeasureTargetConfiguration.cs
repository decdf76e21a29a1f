using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanMeasureTargetConfiguration : IEntityTypeConfiguration<PlanMeasureTarget>
{
    public void Configure(EntityTypeBuilder<PlanMeasureTarget> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Value).HasPrecision(18, 4);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.MeasureId, x.Date });
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
