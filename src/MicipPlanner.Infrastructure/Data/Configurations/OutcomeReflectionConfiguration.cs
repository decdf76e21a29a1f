using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class OutcomeReflectionConfiguration : IEntityTypeConfiguration<OutcomeReflection>
{
    public void Configure(EntityTypeBuilder<OutcomeReflection> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired().RefersTo<AppUser>();
        b.Property(x => x.Why).HasMaxLength(TextLimits.LongText);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CycleId, x.UserId }).IsUnique();
    }
}
