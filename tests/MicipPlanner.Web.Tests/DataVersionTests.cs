using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// Every save raises the data version of the districts it touched, in its own transaction; the presenter view's poll
/// answers "unchanged" from it without loading the tally.
/// </summary>
public sealed class DataVersionTests(QueryCountingFactory factory) : IClassFixture<QueryCountingFactory>
{
    [Fact]
    public async Task A_save_raises_the_data_version_of_its_own_district_only()
    {
        var ids = await DemoIds.LoadAsync(factory);
        async Task<(long Lakeshore, long PineRidge)> VersionsAsync() => await factory.WithDbAsync(async db =>
        {
            var versions = await db.Districts.Where(d => d.Id == ids.Lakeshore || d.Id == ids.PineRidge)
                .Select(d => new { d.Id, V = EF.Property<long>(d, AppDbContext.DataVersion) }).ToDictionaryAsync(d => d.Id, d => d.V);
            return (versions[ids.Lakeshore], versions[ids.PineRidge]);
        });
        var before = await VersionsAsync();
        await factory.WithDbAsync(async db =>
        {
            db.ActionItems.Add(new Domain.Rubric.ActionItem { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, Title = "Version test", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var after = await VersionsAsync();
        Assert.True(after.Lakeshore > before.Lakeshore);
        Assert.Equal(before.PineRidge, after.PineRidge);
        // Reading changes nothing.
        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
        Assert.Equal(after, await VersionsAsync());
    }

    [Fact]
    public async Task Saving_a_record_that_does_not_carry_its_district_raises_that_districts_data_version()
    {
        // A rating group member has no DistrictId: its district is its group's (DistrictPath), read from the database
        // when the group is not loaded, and again when the member is removed.
        var ids = await DemoIds.LoadAsync(factory);
        Task<long> VersionAsync(int districtId) => factory.WithDbAsync(db =>
            db.Districts.Where(d => d.Id == districtId).Select(d => EF.Property<long>(d, AppDbContext.DataVersion)).SingleAsync());
        var (groupId, userId) = await factory.WithDbAsync(async db => (
            await db.RatingGroups.Where(g => g.DistrictId == ids.Lakeshore).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync(),
            await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync()));
        var (lakeshore, pineRidge) = (await VersionAsync(ids.Lakeshore), await VersionAsync(ids.PineRidge));

        var memberId = await factory.WithDbAsync(async db =>
        {
            var member = new Domain.Rubric.RatingGroupMember { RatingGroupId = groupId, UserId = userId };
            db.RatingGroupMembers.Add(member);
            await db.SaveChangesAsync();
            return member.Id;
        });
        var afterAdding = await VersionAsync(ids.Lakeshore);
        Assert.True(afterAdding > lakeshore, "adding a group member left its district's data version as it was");
        Assert.Equal(pineRidge, await VersionAsync(ids.PineRidge));

        await factory.WithDbAsync(async db =>
        {
            db.RatingGroupMembers.Remove(await db.RatingGroupMembers.SingleAsync(m => m.Id == memberId));
            await db.SaveChangesAsync();
        });
        Assert.True(await VersionAsync(ids.Lakeshore) > afterAdding, "removing a group member left its district's data version as it was");

        // A new group and its first member in one save: the member reaches the group the context holds (no key yet).
        var (pineRidgeBefore, lakeshoreBefore) = (await VersionAsync(ids.PineRidge), await VersionAsync(ids.Lakeshore));
        await factory.WithDbAsync(async db =>
        {
            var group = new Domain.Rubric.RatingGroup { DistrictId = ids.PineRidge, CycleId = ids.PineRidgeCycle, Name = $"Group {Guid.NewGuid():N}", SortOrder = 99 };
            var member = new Domain.Rubric.RatingGroupMember { UserId = userId };
            group.Members.Add(member);
            db.RatingGroups.Add(group);
            Assert.Equal(ids.PineRidge, DistrictPath.DistrictOf(db.Entry(member)));
            await db.SaveChangesAsync();
        });
        Assert.True(await VersionAsync(ids.PineRidge) > pineRidgeBefore);
        Assert.Equal(lakeshoreBefore, await VersionAsync(ids.Lakeshore));
    }

    [Fact]
    public async Task A_network_figures_version_rises_only_with_what_its_benchmarks_count()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var (demo, other) = await factory.WithDbAsync(async db =>
        {
            var network = new Domain.Networks.Network { Name = $"Figures test {Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow };
            db.Networks.Add(network);
            await db.SaveChangesAsync();
            return (await db.Networks.Where(n => n.Name == Web.Startup.DemoNetworkData.NetworkName).Select(n => n.Id).SingleAsync(), network.Id);
        });
        async Task<(long Demo, long Other)> VersionsAsync() => await factory.WithDbAsync(async db =>
        {
            var versions = await db.Networks.Where(n => n.Id == demo || n.Id == other)
                .Select(n => new { n.Id, V = EF.Property<long>(n, AppDbContext.FiguresVersion) }).ToDictionaryAsync(n => n.Id, n => n.V);
            return (versions[demo], versions[other]);
        });
        Task SaveAsync(Func<AppDbContext, Task> change) => factory.WithDbAsync(async db =>
        {
            await change(db);
            await db.SaveChangesAsync();
        });

        // Everyday work of a member district leaves the figures alone.
        var start = await VersionsAsync();
        await SaveAsync(db =>
        {
            db.ActionItems.Add(new Domain.Rubric.ActionItem { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, Title = "Figures test", CreatedAt = DateTimeOffset.UtcNow });
            return Task.CompletedTask;
        });
        Assert.Equal(start, await VersionsAsync());

        // A member's sharing setting moves the networks it is on, and only those.
        var shared = await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.Lakeshore).Select(d => d.SharesWithNetworks).SingleAsync());
        await SaveAsync(async db => (await db.Districts.SingleAsync(d => d.Id == ids.Lakeshore)).SharesWithNetworks = !shared);
        var afterSharing = await VersionsAsync();
        Assert.True(afterSharing.Demo > start.Demo);
        Assert.Equal(start.Other, afterSharing.Other);
        await SaveAsync(async db => (await db.Districts.SingleAsync(d => d.Id == ids.Lakeshore)).SharesWithNetworks = shared);

        // Finalizing and reopening a member's rubric move it.
        var beforeFinalizing = await VersionsAsync();
        var finalizedAt = await factory.WithDbAsync(db => db.Cycles.Where(c => c.Id == ids.LakeshoreCycle).Select(c => c.RubricFinalizedAt).SingleAsync());
        await SaveAsync(async db => (await db.Cycles.SingleAsync(c => c.Id == ids.LakeshoreCycle)).RubricFinalizedAt = finalizedAt is null ? DateTimeOffset.UtcNow : null);
        var afterFinalizing = await VersionsAsync();
        Assert.True(afterFinalizing.Demo > beforeFinalizing.Demo);
        await SaveAsync(async db => (await db.Cycles.SingleAsync(c => c.Id == ids.LakeshoreCycle)).RubricFinalizedAt = finalizedAt);
        Assert.True((await VersionsAsync()).Demo > afterFinalizing.Demo);

        // A district joining or leaving moves the network it joins or leaves.
        var beforeJoining = await VersionsAsync();
        await SaveAsync(db =>
        {
            db.NetworkMemberships.Add(new Domain.Networks.NetworkMembership { NetworkId = other, DistrictId = ids.Lakeshore, AddedAt = DateTimeOffset.UtcNow });
            return Task.CompletedTask;
        });
        var afterJoining = await VersionsAsync();
        Assert.True(afterJoining.Other > beforeJoining.Other);
        await SaveAsync(async db => db.NetworkMemberships.Remove(await db.NetworkMemberships.SingleAsync(m => m.NetworkId == other && m.DistrictId == ids.Lakeshore)));
        Assert.True((await VersionsAsync()).Other > afterJoining.Other);
    }

    [Fact]
    public async Task A_measures_chart_version_rises_with_its_values_targets_and_phases_and_with_its_lines_only()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (head, carried, other, activity) = await factory.WithDbAsync(async db =>
        {
            var goal = new Domain.Plan.PlanGoal { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, Statement = "Chart version test", CreatedAt = now };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new Domain.Plan.PlanStrategy { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, GoalId = goal.Id, Title = "Charts", CreatedAt = now };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new Domain.Plan.PlanActivity { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, StrategyId = strategy.Id, Title = "Chart work", CreatedAt = now };
            Domain.Plan.PlanMeasure Measure(string name) => new()
            {
                DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, GoalId = goal.Id, Name = name, Unit = Domain.Plan.MeasureUnit.Count, CreatedAt = now,
            };
            var (head, other) = (Measure("First year's measure"), Measure("Another measure"));
            db.PlanActivities.Add(activity);
            db.PlanMeasures.AddRange(head, other);
            await db.SaveChangesAsync();
            // The same measure carried into a later year continues the first one's line.
            var carried = Measure("Carried measure");
            carried.HistoryMeasureId = head.Id;
            db.PlanMeasures.Add(carried);
            await db.SaveChangesAsync();
            return (head.Id, carried.Id, other.Id, activity.Id);
        });
        async Task<(long Head, long Carried, long Other)> VersionsAsync() => await factory.WithDbAsync(async db =>
        {
            var versions = await db.PlanMeasures.Where(m => m.Id == head || m.Id == carried || m.Id == other)
                .Select(m => new { m.Id, V = EF.Property<long>(m, AppDbContext.ChartVersion) }).ToDictionaryAsync(m => m.Id, m => m.V);
            return (versions[head], versions[carried], versions[other]);
        });
        Task SaveAsync(Func<AppDbContext, Task> change) => factory.WithDbAsync(async db =>
        {
            await change(db);
            await db.SaveChangesAsync();
        });
        Task AddAsync(object record) => SaveAsync(db =>
        {
            db.Add(record);
            return Task.CompletedTask;
        });

        // A check-in, an activity's change and a measure's own fields draw no chart anew.
        var start = await VersionsAsync();
        await AddAsync(new Domain.Plan.PlanCheckIn
        {
            DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, ActivityId = activity, Date = today, Judgment = Domain.Plan.TeamJudgment.OnTrack, CreatedAt = now,
        });
        await SaveAsync(async db => (await db.PlanActivities.SingleAsync(a => a.Id == activity)).Title = "Chart work, renamed");
        await SaveAsync(async db => (await db.PlanMeasures.SingleAsync(m => m.Id == other)).DataSource = "The minutes");
        Assert.Equal(start, await VersionsAsync());

        // A value of the first year's measure moves its line (the carried measure's chart shows it first), not the other measure.
        var value = new Domain.Plan.PlanMeasureValue
        {
            DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, MeasureId = head, Date = today, Value = 4, RecordedAt = now,
        };
        await AddAsync(value);
        var afterValue = await VersionsAsync();
        Assert.True(afterValue.Head > start.Head && afterValue.Carried > start.Carried, "a value left its line's chart versions as they were");
        Assert.Equal(start.Other, afterValue.Other);

        // Correcting and removing a value, an interim target and a phase change of the carried measure move the line too.
        await SaveAsync(async db => (await db.PlanMeasureValues.SingleAsync(v => v.Id == value.Id)).Value = 5);
        var afterCorrection = await VersionsAsync();
        Assert.True(afterCorrection.Head > afterValue.Head && afterCorrection.Carried > afterValue.Carried);
        await AddAsync(new Domain.Plan.PlanMeasureTarget { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, MeasureId = carried, Date = today.AddDays(30), Value = 8 });
        var afterTarget = await VersionsAsync();
        Assert.True(afterTarget.Head > afterCorrection.Head && afterTarget.Carried > afterCorrection.Carried);
        await AddAsync(new Domain.Plan.PlanMeasurePhase { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, MeasureId = carried, Date = today, Label = "New agenda" });
        var afterPhase = await VersionsAsync();
        Assert.True(afterPhase.Carried > afterTarget.Carried);
        await SaveAsync(async db => db.PlanMeasureValues.Remove(await db.PlanMeasureValues.SingleAsync(v => v.Id == value.Id)));
        var afterRemoval = await VersionsAsync();
        Assert.True(afterRemoval.Head > afterPhase.Head && afterRemoval.Carried > afterPhase.Carried);
        Assert.Equal(start.Other, afterRemoval.Other);
    }
}
