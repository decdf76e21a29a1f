using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class ConsensusRatingConfiguration : IEntityTypeConfiguration<ConsensusRating>
{
    public void Configure(EntityTypeBuilder<ConsensusRating> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.RowKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Rationale).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.RecordedByUserId).HasMaxLength(450);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.RowKey }).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
