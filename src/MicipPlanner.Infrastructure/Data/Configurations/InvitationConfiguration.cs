using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Email).HasMaxLength(TextLimits.Email).IsRequired();
        b.Property(x => x.DisplayName).HasMaxLength(TextLimits.Name);
        b.Property(x => x.TokenHash).HasMaxLength(64).IsRequired();
        b.Property(x => x.InvitedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
