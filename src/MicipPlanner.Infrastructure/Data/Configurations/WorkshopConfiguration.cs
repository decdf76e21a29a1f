using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class WorkshopConfiguration : IEntityTypeConfiguration<Workshop>
{
    public void Configure(EntityTypeBuilder<Workshop> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Code).HasMaxLength(WorkshopCodes.Length).IsRequired();
        b.Property(x => x.StartedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Ignore(x => x.Steps);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Groups).WithOne().HasForeignKey(x => x.WorkshopId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Participants).WithOne().HasForeignKey(x => x.WorkshopId).OnDelete(DeleteBehavior.Cascade);
        // Joining looks a workshop up by its code alone.
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.CycleId);
    }
}
