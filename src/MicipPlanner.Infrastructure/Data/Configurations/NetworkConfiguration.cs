using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class NetworkConfiguration : IEntityTypeConfiguration<Network>
{
    public void Configure(EntityTypeBuilder<Network> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property<long>(AppDbContext.FiguresVersion).HasDefaultValue(0L);
        b.Property(x => x.Name).HasMaxLength(TextLimits.Name).IsRequired();
        b.Property(x => x.Description).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.CoordinatorUserId).HasMaxLength(450);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CoordinatorUserId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasIndex(x => x.CoordinatorUserId);
    }
}
