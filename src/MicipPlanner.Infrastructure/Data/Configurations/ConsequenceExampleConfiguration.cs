using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class ConsequenceExampleConfiguration : IEntityTypeConfiguration<ConsequenceExample>
{
    public void Configure(EntityTypeBuilder<ConsequenceExample> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ConsequenceKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Description).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.CycleId);
    }
}
