using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.EntityType).HasMaxLength(100).IsRequired();
        b.Property(x => x.EntityId).HasMaxLength(64).IsRequired();
        b.Property(x => x.Field).HasMaxLength(100).IsRequired();
        b.Property(x => x.Via).HasMaxLength(100);
        b.Property(x => x.DistrictId).RefersTo<District>();
        b.HasIndex(x => new { x.DistrictId, x.At });
        b.HasIndex(x => new { x.EntityType, x.EntityId });
    }
}
