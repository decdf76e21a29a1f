using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class CycleConfiguration : IEntityTypeConfiguration<Cycle>
{
    public void Configure(EntityTypeBuilder<Cycle> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ToolkitKey).HasMaxLength(100).IsRequired();
        b.Property(x => x.RubricFinalizedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasIndex(x => new { x.DistrictId, x.StartYear }).IsUnique();
        b.Ignore(x => x.SchoolYear);
        b.Ignore(x => x.IsRubricFinalized);
    }
}
