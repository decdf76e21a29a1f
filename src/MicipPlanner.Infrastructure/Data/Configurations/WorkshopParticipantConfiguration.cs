using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class WorkshopParticipantConfiguration : IEntityTypeConfiguration<WorkshopParticipant>
{
    public void Configure(EntityTypeBuilder<WorkshopParticipant> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired().RefersTo<AppUser>();
        b.Property(x => x.DisplayName).HasMaxLength(WorkshopParticipant.NameLimit).IsRequired();
        // RatingGroupId is kept without a foreign key: the group and the workshop both hang off the cycle, and SQL Server
        // refuses a second cascade path; a deleted group simply leaves the participant without one.
        b.Property(x => x.RatingGroupId).RefersTo<RatingGroup>();
        b.HasIndex(x => x.WorkshopId);
        b.HasIndex(x => x.UserId);
    }
}
