using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class TemplateTransitionConfiguration : IEntityTypeConfiguration<TemplateTransition>
{
    public void Configure(EntityTypeBuilder<TemplateTransition> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.Comment).HasMaxLength(TextLimits.LongText);
        b.HasIndex(x => x.TemplateId);
    }
}
