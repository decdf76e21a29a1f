using System.Linq.Expressions;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class ConsensusRatingConfiguration : CycleTeamRecordConfiguration<ConsensusRating>
{
    protected override Expression<Func<ConsensusRating, object?>> CycleId => x => x.CycleId;
    protected override Expression<Func<ConsensusRating, string>> ItemKey => x => x.RowKey;
    protected override Expression<Func<ConsensusRating, string>> Text => x => x.Rationale;
    protected override Expression<Func<ConsensusRating, string>> AuthorUserId => x => x.RecordedByUserId;

    public override void Configure(EntityTypeBuilder<ConsensusRating> b)
    {
        base.Configure(b);
        b.HasIndex(x => new { x.CycleId, x.RowKey }).IsUnique();
        b.HasIndex(x => x.DistrictId);
    }
}
