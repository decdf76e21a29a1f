using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PlanActivityConfiguration : IEntityTypeConfiguration<PlanActivity>
{
    public void Configure(EntityTypeBuilder<PlanActivity> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Title).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.OwnerUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.Cascade);
        // An action item is filed once: the unique index keeps two simultaneous filings from both landing. Restrict, not
        // cascade: the item and the activity both hang off the cycle, and SQL Server refuses a second cascade path.
        b.HasOne<ActionItem>().WithMany().HasForeignKey(x => x.SourceActionItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SourceActionItemId).IsUnique();
        b.HasIndex(x => new { x.CycleId, x.DueDate });
        b.HasIndex(x => new { x.DistrictId, x.DueDate });
        b.Ignore(x => x.Dates);
    }
}
