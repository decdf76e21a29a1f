using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>A fresh cycle of the demo's Lakeshore district, so a test rates on a clean rubric, and the rubric's row address.</summary>
public static class RubricCycles
{
    public static async Task<(int District, int Cycle, int WholeTeam)> NewLakeshoreCycleAsync(MicipWebFactory factory)
    {
        var ids = await DemoIds.LoadAsync(factory);
        return await factory.WithDbAsync(async db =>
        {
            var cycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
            var group = await db.RatingGroups.Where(g => g.CycleId == cycle.Id).Select(g => g.Id).SingleAsync();
            return (ids.Lakeshore, cycle.Id, group);
        });
    }

    /// <summary>Where a group's rating of one rubric row is saved.</summary>
    /// <summary>The rubric page showing one group's rating forms.</summary>
    public static string PageOf(int district, int cycle, int group) => $"/districts/{district}/cycles/{cycle}/rubric?group={group}";

    public static string RowUrl(int district, int cycle, int group, string row) => $"/districts/{district}/cycles/{cycle}/rubric/groups/{group}/rows/{row}";
}
