using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MicipPlanner.Infrastructure.Data.Configurations;

public sealed class PdsaCycleConfiguration : IEntityTypeConfiguration<PdsaCycle>
{
    public void Configure(EntityTypeBuilder<PdsaCycle> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ChangeIdea).HasMaxLength(TextLimits.ShortText).IsRequired();
        foreach (var text in new[]
                 {
                     nameof(PdsaCycle.Question), nameof(PdsaCycle.Prediction), nameof(PdsaCycle.WhatHappened), nameof(PdsaCycle.Problems),
                     nameof(PdsaCycle.Observations), nameof(PdsaCycle.Result), nameof(PdsaCycle.DecisionNote),
                 })
            b.Property<string>(text).HasMaxLength(PdsaCycle.TextMaxLength).IsRequired();
        b.Property(x => x.Who).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.Where).HasMaxLength(TextLimits.ShortText).IsRequired();
        b.Property(x => x.CreatedByUserId).HasMaxLength(450).RefersTo<AppUser>();
        b.Property(x => x.CycleId).RefersTo<Cycle>();
        b.HasOne<PlanActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
        // One next cycle per cycle (a ramp is a line). No cascade: the activity already removes both, and SQL Server refuses
        // a second cascade path.
        b.HasOne<PdsaCycle>().WithMany().HasForeignKey(x => x.PreviousPdsaCycleId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(x => x.PreviousPdsaCycleId).IsUnique();
        b.HasIndex(x => x.ActivityId);
        b.HasIndex(x => x.CycleId);
        b.HasIndex(x => x.DistrictId);
    }
}
