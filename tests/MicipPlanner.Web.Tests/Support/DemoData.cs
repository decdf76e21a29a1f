using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Ids of the seeded demo data, looked up by name.</summary>
public sealed record DemoIds(int Lakeshore, int LakeshoreCycle, int LakeshoreLastCycle, int PineRidge, int PineRidgeCycle, int[] LakeshoreBuildings)
{
    public static async Task<DemoIds> LoadAsync(MicipWebFactory factory) => await factory.WithDbAsync(async db =>
    {
        var lakeshore = await db.Districts.SingleAsync(d => d.Name == "Lakeshore Public Schools");
        var pineRidge = await db.Districts.SingleAsync(d => d.Name == "Pine Ridge Community Schools");
        // Tests may add later cycles; the demo's own are this school year and the one before.
        var current = Domain.Organisation.SchoolYears.Current(DateOnly.FromDateTime(DateTime.UtcNow));
        var lakeCycles = await db.Cycles.Where(c => c.DistrictId == lakeshore.Id && c.StartYear <= current).OrderByDescending(c => c.StartYear).Select(c => c.Id).ToListAsync();
        var pineCycle = await db.Cycles.Where(c => c.DistrictId == pineRidge.Id && c.StartYear <= current).OrderByDescending(c => c.StartYear).Select(c => c.Id).FirstAsync();
        var buildings = await db.Buildings.Where(b => b.DistrictId == lakeshore.Id).OrderBy(b => b.Code).Select(b => b.Id).ToArrayAsync();
        return new DemoIds(lakeshore.Id, lakeCycles[0], lakeCycles[1], pineRidge.Id, pineCycle, buildings);
    });
}

/// <summary>A new cycle of Lakeshore, so a plan test starts from an empty plan, and today in the district's calendar.</summary>
public sealed record FreshCycle(DemoIds Ids, int CycleId, DateOnly Today)
{
    public static async Task<FreshCycle> NewAsync(MicipWebFactory factory)
    {
        var ids = await DemoIds.LoadAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var cycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
            var zone = await db.Districts.Where(d => d.Id == ids.Lakeshore).Select(d => d.TimeZoneId).SingleAsync();
            return new FreshCycle(ids, cycle.Id, Domain.Organisation.DistrictCalendar.Today(DateTimeOffset.UtcNow, zone));
        });
    }
}
