using System.Linq.Expressions;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class ConsequenceExampleConfiguration : CycleTeamRecordConfiguration<ConsequenceExample>
{
    protected override Expression<Func<ConsequenceExample, object?>> CycleId => x => x.CycleId;
    protected override Expression<Func<ConsequenceExample, string>> ItemKey => x => x.ConsequenceKey;
    protected override Expression<Func<ConsequenceExample, string>> Text => x => x.Description;
    protected override Expression<Func<ConsequenceExample, string>> AuthorUserId => x => x.CreatedByUserId;

    public override void Configure(EntityTypeBuilder<ConsequenceExample> b)
    {
        base.Configure(b);
        b.HasIndex(x => x.CycleId);
    }
}
