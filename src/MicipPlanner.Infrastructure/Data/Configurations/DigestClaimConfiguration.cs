using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class DigestClaimConfiguration : IEntityTypeConfiguration<DigestClaim>
{
    public void Configure(EntityTypeBuilder<DigestClaim> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // The claim itself: one digest per person, district and day, whichever instance inserts first (ADR 022).
        b.HasIndex(x => new { x.DistrictId, x.UserId, x.Date }).IsUnique();
    }
}
