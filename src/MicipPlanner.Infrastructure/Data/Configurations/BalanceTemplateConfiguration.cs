using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class BalanceTemplateConfiguration : IEntityTypeConfiguration<BalanceTemplate>
{
    public void Configure(EntityTypeBuilder<BalanceTemplate> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.BuildingsAnswer).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.DistrictsAnswer).HasMaxLength(TextLimits.LongText);
        b.Property(x => x.CommonAnswer).HasMaxLength(TextLimits.LongText);
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.NoAction);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Transitions).WithOne().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Cascade);
        // One template per building and cycle; the district's own (no building) is kept unique in code
        // because SQLite and SQL Server disagree on NULLs in unique indexes.
        b.HasIndex(x => new { x.CycleId, x.BuildingId }).IsUnique();
        b.HasIndex(x => new { x.DistrictId, x.CycleId, x.State });
        b.Ignore(x => x.IsDistrictTemplate);
    }
}
