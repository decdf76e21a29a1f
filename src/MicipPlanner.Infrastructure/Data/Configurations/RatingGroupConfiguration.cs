using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class RatingGroupConfiguration : IEntityTypeConfiguration<RatingGroup>
{
    public void Configure(EntityTypeBuilder<RatingGroup> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Name).HasMaxLength(TextLimits.Name).IsRequired();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.RatingGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Ratings).WithOne().HasForeignKey(x => x.RatingGroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.Name }).IsUnique();
    }
}
