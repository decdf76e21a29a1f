using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class NetworkMembershipConfiguration : IEntityTypeConfiguration<NetworkMembership>
{
    public void Configure(EntityTypeBuilder<NetworkMembership> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.NetworkId, x.DistrictId }).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
