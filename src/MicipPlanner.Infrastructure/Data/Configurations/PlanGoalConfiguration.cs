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
        // A goal of an earlier year, kept without a constraint so that the years stay independent records. Unique: a goal
        // is carried over once, however often the form is sent.
        b.Property(x => x.CarriedFromGoalId).RefersTo<PlanGoal>();
        b.HasIndex(x => x.CarriedFromGoalId).IsUnique();
        b.HasIndex(x => new { x.CycleId, x.SortOrder });
        b.HasIndex(x => x.DistrictId);
    }
}
