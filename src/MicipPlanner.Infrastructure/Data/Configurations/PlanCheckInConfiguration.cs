using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanCheckInConfiguration : IEntityTypeConfiguration<PlanCheckIn>
{
    public void Configure(EntityTypeBuilder<PlanCheckIn> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Note).HasMaxLength(PlanCheckIn.NoteMaxLength).IsRequired();
        b.Property(x => x.EvidenceLink).HasMaxLength(PlanCheckIn.LinkMaxLength);
        b.Property(x => x.ByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ActivityId, x.Date });
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
