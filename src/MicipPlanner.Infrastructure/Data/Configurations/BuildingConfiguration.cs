using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Name).HasMaxLength(TextLimits.Name).IsRequired();
        b.Property(x => x.Code).HasMaxLength(5).IsRequired();
        b.Property(x => x.Grades).HasMaxLength(40);
        b.HasIndex(x => new { x.DistrictId, x.Code }).IsUnique();
    }
}
