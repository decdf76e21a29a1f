using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>Activity 3: the district roll-up of the building templates.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/balance")]
public sealed class BalanceRollupController(DistrictPageServices services) : DistrictControllerBase(services)
{
    // Views are found by controller name; this controller's view lives under the feature's name.
    private const string RollupView = "Rollup";

    [HttpGet("rollup")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Rollup(int districtId, int cycleId, string? include)
    {
        var cycle = CurrentCycle;
        var includeSubmitted = include == "submitted";
        var result = await RollupQuery.LoadAsync(Db, districtId, cycleId, ToolkitOf(cycle), includeSubmitted);
        return View(RollupView, new RollupPageModel(cycle, includeSubmitted, result.CountedTemplates, result.Rows, result.NotSubmitted, result.BuildingCount));
    }
}
