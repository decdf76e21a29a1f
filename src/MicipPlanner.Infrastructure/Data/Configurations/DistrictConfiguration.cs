using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class DistrictConfiguration : IEntityTypeConfiguration<District>
{
    public void Configure(EntityTypeBuilder<District> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        // Not part of the domain: a counter that every save touching the district raises (see AppDbContext).
        b.Property<long>(AppDbContext.DataVersion).HasDefaultValue(0L);
        b.Property(x => x.Name).HasMaxLength(TextLimits.Name).IsRequired();
        b.Property(x => x.Code).HasMaxLength(5).IsRequired();
        b.Property(x => x.Isd).HasMaxLength(TextLimits.Name);
        b.Property(x => x.TimeZoneId).HasMaxLength(64);
        b.Property(x => x.SignInEmailDomains).HasMaxLength(Domain.Accounts.SignInPolicy.MaxDomainsLength).IsRequired();
        b.Property(x => x.SignInMethods).HasMaxLength(Domain.Accounts.SignInPolicy.MaxMethodsLength).IsRequired();
        b.HasIndex(x => x.Code).IsUnique();
        b.HasMany(x => x.Buildings).WithOne(x => x.District).HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Cycles).WithOne(x => x.District).HasForeignKey(x => x.DistrictId).OnDelete(DeleteBehavior.Cascade);
    }
}
