using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class FacilitatorAssignmentConfiguration : IEntityTypeConfiguration<FacilitatorAssignment>
{
    public void Configure(EntityTypeBuilder<FacilitatorAssignment> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        b.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.UserId, x.DistrictId }).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
