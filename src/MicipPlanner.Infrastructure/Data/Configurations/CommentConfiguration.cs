using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.TargetKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Body).HasMaxLength(TextLimits.LongText).IsRequired();
        b.Property(x => x.AuthorUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.TargetType, x.TargetKey });
    }
}
