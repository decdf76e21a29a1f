using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanStrategyConfiguration : IEntityTypeConfiguration<PlanStrategy>
{
    public void Configure(EntityTypeBuilder<PlanStrategy> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Title).HasMaxLength(TextLimits.ShortText).IsRequired();
        // Flags: a number, since several names joined would outgrow the enum-as-name column.
        b.Property(x => x.Systems).HasConversion<int>();
        b.Property(x => x.FundingSource).HasMaxLength(TextLimits.Name).IsRequired();
        b.Property(x => x.PlannedAmount).HasPrecision(14, 2);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanGoal>().WithMany().HasForeignKey(x => x.GoalId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
