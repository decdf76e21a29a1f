using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanMeetingConfiguration : IEntityTypeConfiguration<PlanMeeting>
{
    public void Configure(EntityTypeBuilder<PlanMeeting> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.RecordedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        // One meeting a day: a double submit or two people pressing "record" at once stay one record.
        b.HasIndex(x => new { x.CycleId, x.HeldOn }).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
