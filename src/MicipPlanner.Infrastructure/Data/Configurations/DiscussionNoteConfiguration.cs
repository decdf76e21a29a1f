using System.Linq.Expressions;
using MicipPlanner.Domain.Rubric;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class DiscussionNoteConfiguration : CycleTeamRecordConfiguration<DiscussionNote>
{
    protected override Expression<Func<DiscussionNote, object?>> CycleId => x => x.CycleId;
    protected override Expression<Func<DiscussionNote, string>> ItemKey => x => x.QuestionKey;
    protected override Expression<Func<DiscussionNote, string>> Text => x => x.Text;
    protected override Expression<Func<DiscussionNote, string>> AuthorUserId => x => x.UpdatedByUserId;

    public override void Configure(EntityTypeBuilder<DiscussionNote> b)
    {
        base.Configure(b);
        b.HasIndex(x => new { x.CycleId, x.QuestionKey }).IsUnique();
    }
}
