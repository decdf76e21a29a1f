using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanGoalConfiguration : IEntityTypeConfiguration<PlanGoal>
{
    public void Configure(EntityTypeBuilder<PlanGoal> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Statement).HasMaxLength(PlanGoal.StatementMaxLength).IsRequired();
        b.Property(x => x.RubricRowKeys).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.SortOrder });
        b.HasIndex(x => x.DistrictId);
    }
}
