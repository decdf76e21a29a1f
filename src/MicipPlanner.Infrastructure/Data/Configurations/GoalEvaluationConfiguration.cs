using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class GoalEvaluationConfiguration : IEntityTypeConfiguration<GoalEvaluation>
{
    public void Configure(EntityTypeBuilder<GoalEvaluation> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        foreach (var text in new[]
                 {
                     nameof(GoalEvaluation.Readiness), nameof(GoalEvaluation.Fidelity), nameof(GoalEvaluation.ScaleAndReach), nameof(GoalEvaluation.Impact),
                     nameof(GoalEvaluation.Rationale),
                 })
            b.Property<string>(text).HasMaxLength(GoalEvaluation.TextMaxLength).IsRequired();
        b.Property(x => x.AmountUsed).HasPrecision(18, 2);
        b.Property(x => x.UpdatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanGoal>().WithMany().HasForeignKey(x => x.GoalId).OnDelete(DeleteBehavior.Cascade);
        // One evaluation per goal: two first saves at once leave one, the other is told of the conflict.
        b.HasIndex(x => x.GoalId).IsUnique();
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
