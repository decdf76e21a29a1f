using System.Linq.Expressions;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

/// <summary>
/// A district-owned record the team writes about one toolkit item of a cycle: the item's key, a long text and who
/// wrote it, guarded by its version and deleted with its cycle. Subclasses name the columns and add their indexes.
/// </summary>
public abstract class CycleTeamRecordConfiguration<T> : IEntityTypeConfiguration<T>
    where T : Entity, IDistrictOwned
{
    protected abstract Expression<Func<T, object?>> CycleId { get; }

    /// <summary>The toolkit item the record is about (a rubric row, a question, a consequence).</summary>
    protected abstract Expression<Func<T, string>> ItemKey { get; }

    protected abstract Expression<Func<T, string>> Text { get; }

    protected abstract Expression<Func<T, string>> AuthorUserId { get; }

    public virtual void Configure(EntityTypeBuilder<T> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(ItemKey).HasMaxLength(64).IsRequired();
        b.Property(Text).HasMaxLength(TextLimits.LongText);
        b.Property(AuthorUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.HasOne<Cycle>().WithMany().HasForeignKey(CycleId).OnDelete(DeleteBehavior.Cascade);
    }
}
