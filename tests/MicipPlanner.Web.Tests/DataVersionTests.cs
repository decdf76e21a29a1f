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
}
