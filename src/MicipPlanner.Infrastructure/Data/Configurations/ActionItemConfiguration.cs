using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class ActionItemConfiguration : IEntityTypeConfiguration<ActionItem>
{
    public void Configure(EntityTypeBuilder<ActionItem> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Title).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.SourceKey).HasMaxLength(64);
        b.Property(x => x.OwnerUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.Status });
        b.HasIndex(x => new { x.DistrictId, x.Status });
        b.Ignore(x => x.IsOpen);
    }
}
