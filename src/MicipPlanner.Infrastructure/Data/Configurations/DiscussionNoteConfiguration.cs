using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class DiscussionNoteConfiguration : IEntityTypeConfiguration<DiscussionNote>
{
    public void Configure(EntityTypeBuilder<DiscussionNote> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.QuestionKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Text).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.UpdatedByUserId).HasMaxLength(450);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.QuestionKey }).IsUnique();
    }
}
