using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PracticeNoteConfiguration : IEntityTypeConfiguration<PracticeNote>
{
    public void Configure(EntityTypeBuilder<PracticeNote> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.RowKey).HasMaxLength(100).IsRequired();
        b.Property(x => x.Text).HasMaxLength(PracticeNote.MaxTextLength).IsRequired();
        b.Property(x => x.ContactRole).HasMaxLength(PracticeNote.MaxContactRoleLength);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        // Through the cycle only: a second cascade path from the district is refused by SQL Server.
        b.HasOne<Cycle>().WithMany().HasForeignKey(x => x.CycleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.DistrictId, x.WithdrawnAt });
        b.HasIndex(x => x.CycleId);
    }
}
