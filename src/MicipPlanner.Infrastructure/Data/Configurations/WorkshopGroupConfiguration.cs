using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class WorkshopGroupConfiguration : IEntityTypeConfiguration<WorkshopGroup>
{
    public void Configure(EntityTypeBuilder<WorkshopGroup> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        // The workshop's own list goes with the workshop (WorkshopConfiguration). The group and the workshop both hang off
        // the cycle, and SQL Server refuses a second cascade path: deleting a group takes it out of workshops by hand.
        b.HasOne<RatingGroup>().WithMany().HasForeignKey(x => x.RatingGroupId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => new { x.WorkshopId, x.RatingGroupId }).IsUnique();
        b.HasIndex(x => x.RatingGroupId);
    }
}
