using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanMeasureValueConfiguration : IEntityTypeConfiguration<PlanMeasureValue>
{
    public void Configure(EntityTypeBuilder<PlanMeasureValue> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Value).HasPrecision(18, 4);
        b.Property(x => x.Note).HasMaxLength(PlanMeasureValue.NoteMaxLength).IsRequired();
        b.Property(x => x.RecordedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.NoAction);
        // A report's values are copied once: accepting it again (after a return and a resubmission) cannot add a second copy.
        // The report is never deleted once accepted, and SQL Server refuses a second cascade path from the cycle.
        b.HasOne<BuildingReport>().WithMany().HasForeignKey(x => x.SourceReportId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => new { x.SourceReportId, x.MeasureId }).IsUnique();
        b.HasIndex(x => new { x.MeasureId, x.Date });
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
