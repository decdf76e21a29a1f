using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class RubricRatingConfiguration : IEntityTypeConfiguration<RubricRating>
{
    public void Configure(EntityTypeBuilder<RubricRating> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.RowKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Evidence).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.UpdatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasIndex(x => new { x.RatingGroupId, x.RowKey }).IsUnique();
        b.HasIndex(x => x.CycleId);
    }
}
