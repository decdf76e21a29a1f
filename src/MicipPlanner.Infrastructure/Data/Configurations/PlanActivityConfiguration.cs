using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Plan;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanActivityConfiguration : IEntityTypeConfiguration<PlanActivity>
{
    public void Configure(EntityTypeBuilder<PlanActivity> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Title).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.OwnerUserId).HasMaxLength(450);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.HasOne<PlanStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.DueDate });
        b.HasIndex(x => new { x.DistrictId, x.DueDate });
        b.Ignore(x => x.Dates);
    }
}
