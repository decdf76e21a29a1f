using MicipPlanner.Domain.Organisation;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

public sealed record HistoryCycle(int CycleId, string SchoolYear, bool Finalized, IReadOnlyDictionary<string, int> Consensus, IReadOnlyList<string> LevelNames);
public sealed record HistoryRow(string Key, string Label);
public sealed record HistoryPageModel(DistrictContext District, IReadOnlyList<HistoryCycle> Cycles, IReadOnlyList<HistoryRow> Rows, IReadOnlyList<string> LevelNames);

/// <summary>The team's consensus per row, school year by school year: the movement to the right.</summary>
[Route("districts/{districtId:int}/rubric/history")]
public sealed class HistoryController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [DistrictPage(Section = "rubric")]
    public async Task<IActionResult> Index(int districtId)
    {
        var district = CurrentDistrict;
        var cycles = await Db.Cycles.Where(c => c.DistrictId == districtId).OrderBy(c => c.StartYear)
            .Select(c => new { c.Id, c.StartYear, c.ToolkitKey, c.ToolkitVersion, c.RubricFinalizedAt })
            .AsNoTracking().ToListAsync();
        var ids = cycles.Select(c => c.Id).ToList();
        var consensus = await Db.ConsensusRatings.Where(c => ids.Contains(c.CycleId))
            .Select(c => new { c.CycleId, c.RowKey, c.Level }).AsNoTracking().ToListAsync();

        // Rows are matched by key across toolkit versions; the newest cycle's labels are shown.
        var rows = new List<HistoryRow>();
        var history = new List<HistoryCycle>();
        foreach (var c in cycles)
        {
            var toolkit = Toolkits.Get(c.ToolkitKey, c.ToolkitVersion);
            foreach (var row in toolkit.Rubric.Rows)
            {
                rows.RemoveAll(r => r.Key == row.Key);
                rows.Add(new HistoryRow(row.Key, row.Label));
            }
            history.Add(new HistoryCycle(c.Id, SchoolYears.Format(c.StartYear), c.RubricFinalizedAt is not null,
                consensus.Where(x => x.CycleId == c.Id).ToDictionary(x => x.RowKey, x => x.Level),
                toolkit.Rubric.Levels.Select(l => l.FullName).ToList()));
        }
        var latest = cycles.Count == 0 ? Toolkits.Default : Toolkits.Get(cycles[^1].ToolkitKey, cycles[^1].ToolkitVersion);
        var ordered = latest.Rubric.Rows.Select(r => rows.First(x => x.Key == r.Key)).Concat(rows.Where(r => latest.FindRubricRow(r.Key) is null)).ToList();
        return View("History", new HistoryPageModel(district, history, ordered, latest.Rubric.Levels.Select(l => l.FullName).ToList()));
    }
}
