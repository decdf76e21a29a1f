using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class MonitoringPeriodConfiguration : IEntityTypeConfiguration<MonitoringPeriod>
{
    public void Configure(EntityTypeBuilder<MonitoringPeriod> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Name).HasMaxLength(MonitoringPeriod.NameMaxLength).IsRequired();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.DueDate });
        b.HasIndex(x => x.DistrictId);
    }
}

public sealed class ReportedMeasureConfiguration : IEntityTypeConfiguration<ReportedMeasure>
{
    public void Configure(EntityTypeBuilder<ReportedMeasure> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.MeasureId }).IsUnique();
        b.HasIndex(x => x.MeasureId);
        b.HasIndex(x => x.DistrictId);
    }
}

public sealed class BuildingReportConfiguration : IEntityTypeConfiguration<BuildingReport>
{
    public void Configure(EntityTypeBuilder<BuildingReport> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Recommendations).HasMaxLength(BuildingReport.RecommendationsMaxLength).IsRequired();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<MonitoringPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Cascade);
        // Buildings are archived, not deleted; a second cascade path from the district would be refused by SQL Server.
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.NoAction);
        b.HasMany(x => x.Values).WithOne().HasForeignKey(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Activities).WithOne().HasForeignKey(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Transitions).WithOne().HasForeignKey(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        // One report per building and period: two first saves at once cannot make two.
        b.HasIndex(x => new { x.PeriodId, x.BuildingId }).IsUnique();
        b.HasIndex(x => x.BuildingId);
        b.HasIndex(x => new { x.DistrictId, x.State });
        b.HasIndex(x => x.CycleId);
    }
}

public sealed class BuildingReportValueConfiguration : IEntityTypeConfiguration<BuildingReportValue>
{
    public void Configure(EntityTypeBuilder<BuildingReportValue> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Value).HasPrecision(18, 4);
        b.Property(x => x.Note).HasMaxLength(BuildingReportValue.NoteMaxLength).IsRequired();
        // The report removes its values; the measure does not (a measure with report values is archived, never deleted),
        // since SQL Server refuses a second cascade path from the cycle.
        b.HasOne<PlanMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => new { x.ReportId, x.MeasureId }).IsUnique();
        b.HasIndex(x => x.MeasureId);
        b.HasIndex(x => x.DistrictId);
    }
}

public sealed class BuildingReportActivityConfiguration : IEntityTypeConfiguration<BuildingReportActivity>
{
    public void Configure(EntityTypeBuilder<BuildingReportActivity> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Note).HasMaxLength(BuildingReportActivity.NoteMaxLength).IsRequired();
        // As for values: an activity a report speaks of is kept (the plan refuses to remove it).
        b.HasOne<PlanActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => new { x.ReportId, x.ActivityId }).IsUnique();
        b.HasIndex(x => x.ActivityId);
        b.HasIndex(x => x.DistrictId);
    }
}

public sealed class BuildingReportTransitionConfiguration : IEntityTypeConfiguration<BuildingReportTransition>
{
    public void Configure(EntityTypeBuilder<BuildingReportTransition> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.Comment).HasMaxLength(TextLimits.LongText);
        b.HasIndex(x => x.ReportId);
        b.HasIndex(x => x.DistrictId);
    }
}
