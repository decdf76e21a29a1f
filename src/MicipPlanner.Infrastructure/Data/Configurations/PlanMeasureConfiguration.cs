using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanMeasureConfiguration : IEntityTypeConfiguration<PlanMeasure>
{
    public void Configure(EntityTypeBuilder<PlanMeasure> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property<long>(AppDbContext.ChartVersion).HasDefaultValue(0L);
        b.Property(x => x.Name).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.DataSource).HasMaxLength(PlanMeasure.DataSourceMaxLength).IsRequired();
        b.Property(x => x.BaselineValue).HasPrecision(18, 4);
        b.Property(x => x.EndTargetValue).HasPrecision(18, 4);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Ignore(x => x.EndTarget);
        b.Ignore(x => x.HistoryKey);
        // The first measure of the line, in an earlier year's plan: no constraint, the years stay independent records.
        b.Property(x => x.HistoryMeasureId).RefersTo<PlanMeasure>();
        b.HasIndex(x => x.HistoryMeasureId);
        // The cycle removes its measures; the goal, strategy and activity do not, since SQL Server refuses a second
        // cascade path to the same row (cycle → goal → strategy → measure beside cycle → measure).
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PlanGoal>().WithMany().HasForeignKey(x => x.GoalId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<PlanStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<PlanActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
