using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class RatingGroupMemberConfiguration : IEntityTypeConfiguration<RatingGroupMember>
{
    public void Configure(EntityTypeBuilder<RatingGroupMember> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.RatingGroupId, x.UserId }).IsUnique();
    }
}
