using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class BalanceTemplateItemConfiguration : IEntityTypeConfiguration<BalanceTemplateItem>
{
    public void Configure(EntityTypeBuilder<BalanceTemplateItem> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Evidence).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.NextAction).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.Owner).HasMaxLength(TextLimits.Name);
        b.HasIndex(x => new { x.TemplateId, x.RowNumber, x.Function }).IsUnique();
    }
}
