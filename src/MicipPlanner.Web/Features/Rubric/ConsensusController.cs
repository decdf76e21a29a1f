using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>Comparing the groups' ratings, recording the team's consensus, finalizing and reopening the rubric.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/rubric")]
public sealed class ConsensusController(DistrictPageServices services) : DistrictControllerBase(services)
{
    private const string ComparePage = "Compare";

    [HttpGet("compare")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Compare(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        return View(ComparePage, await BuildCompareAsync(cycle));
    }

    [HttpPost("consensus/{rowKey}")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> RecordConsensus(int districtId, int cycleId, string rowKey, ConsensusForm form)
    {
        var cycle = CurrentCycle;
        var row = ToolkitOf(cycle).FindRubricRow(rowKey);
        if (row is null) return NotFound();
        if (!cycle.Permissions.CanRecordConsensus) return Denied();
        if (cycle.IsRubricFinalized)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            ModelState.AddModelError("", "The rubric is finalized; reopen it to change the consensus.");
            return View(ComparePage, await BuildCompareAsync(cycle));
        }
        if (!ModelState.IsValid)
        {
            ViewData["ErrorRow"] = rowKey;
            ViewData["PostedRationale"] = form.Rationale;
            return View(ComparePage, await BuildCompareAsync(cycle));
        }
        var stored = await Db.ConsensusRatings.SingleOrDefaultAsync(c => c.CycleId == cycleId && c.RowKey == rowKey);
        // A form without a version (recorded from the comparison before any consensus) replaces whatever is stored.
        var kept = await Db.SaveVersionedAsync(stored, form.Version ?? stored?.Version,
            () => new ConsensusRating { DistrictId = districtId, CycleId = cycleId, RowKey = rowKey },
            consensus =>
            {
                consensus.Level = form.Level!.Value;
                consensus.Rationale = (form.Rationale ?? "").Trim();
                consensus.RecordedAt = Clock.GetUtcNow();
                consensus.RecordedByUserId = CurrentUserId;
            },
            () => Db.ConsensusRatings.AnyAsync(c => c.CycleId == cycleId && c.RowKey == rowKey), HttpContext.RequestAborted);
        if (!kept)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            ModelState.AddModelError("", $"Someone else recorded the consensus for “{row.Label}” while you were deciding. Their choice is shown below; record yours again if the team agrees.");
            return View(ComparePage, await BuildCompareAsync(cycle));
        }
        TempData["Status"] = $"Consensus recorded for row {row.Number} ({row.Label}).";
        return RedirectToAction(nameof(Compare), "Consensus", new { districtId, cycleId }, $"consensus-{rowKey}");
    }

    [HttpPost("finalize")]
    [CyclePage(Section = "rubric", Requires = Permission.RecordConsensus)]
    public async Task<IActionResult> Finalize(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var model = await BuildCompareAsync(cycle);
        if (model.MissingConsensus.Count > 0)
        {
            ModelState.AddModelError("", "Record the team's consensus on every row before finalizing. Missing: " + string.Join(", ", model.MissingConsensus) + ".");
            return View(ComparePage, model);
        }
        var entity = await Db.Cycles.SingleAsync(c => c.Id == cycleId);
        if (entity.RubricFinalizedAt is null)
        {
            entity.RubricFinalizedAt = Clock.GetUtcNow();
            entity.RubricFinalizedByUserId = CurrentUserId;
            await Db.SaveChangesAsync();
        }
        TempData["Status"] = "The rubric is finalized for " + cycle.SchoolYear + ". Ratings and consensus are now locked.";
        return RedirectToAction(nameof(Compare), new { districtId, cycleId });
    }

    [HttpPost("reopen")]
    [CyclePage(Section = "rubric", Requires = Permission.RecordConsensus)]
    public async Task<IActionResult> Reopen(int districtId, int cycleId, bool confirm)
    {
        var cycle = CurrentCycle;
        if (!confirm)
        {
            ModelState.AddModelError("", "Tick the confirmation box to reopen the rubric.");
            return View(ComparePage, await BuildCompareAsync(cycle));
        }
        var entity = await Db.Cycles.SingleAsync(c => c.Id == cycleId);
        entity.RubricFinalizedAt = null;
        entity.RubricFinalizedByUserId = null;
        await Db.SaveChangesAsync();
        TempData["Status"] = "The rubric is reopened: groups can change ratings again. The reopening is recorded in the audit trail.";
        return RedirectToAction(nameof(Compare), new { districtId, cycleId });
    }

    private async Task<ComparePageModel> BuildCompareAsync(CycleContext cycle)
    {
        var toolkit = ToolkitOf(cycle);
        var data = await LoadCompareAsync(cycle.CycleId, toolkit);
        return new ComparePageModel(cycle, toolkit, data.GroupNames, data.Rows, data.MissingConsensus);
    }

    private sealed record CompareData(IReadOnlyList<string> GroupNames, IReadOnlyList<CompareRow> Rows, IReadOnlyList<string> MissingConsensus);

    private sealed record GroupName(int Id, string Name);

    private sealed record GroupRowRating(int RatingGroupId, string RowKey, int? Level, string Evidence);

    private sealed record StoredConsensus(string RowKey, int Level, string Rationale, Guid Version, string? By);

    // Compiled once: every save in the district makes the comparison read these again.
    private static readonly Func<AppDbContext, int, IAsyncEnumerable<GroupName>> GroupsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.RatingGroups.AsNoTracking().Where(g => g.CycleId == cycleId).OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new GroupName(g.Id, g.Name)));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<GroupRowRating>> RatingsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.RubricRatings.AsNoTracking().Where(r => r.CycleId == cycleId)
            .Select(r => new GroupRowRating(r.RatingGroupId, r.RowKey, r.Level, r.Evidence)));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<StoredConsensus>> ConsensusOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.ConsensusRatings.AsNoTracking().Where(c => c.CycleId == cycleId)
            .Select(c => new StoredConsensus(c.RowKey, c.Level, c.Rationale, c.Version,
                db.Users.NameOf(c.RecordedByUserId))));

    private async Task<CompareData> LoadCompareAsync(int cycleId, Domain.Toolkits.ToolkitDefinition toolkit)
    {
        var groups = await GroupsOfCycle(Db, cycleId).ToListAsync();
        var ratings = await RatingsOfCycle(Db, cycleId).ToListAsync();
        var consensus = (await ConsensusOfCycle(Db, cycleId).ToListAsync()).ToDictionary(c => c.RowKey);

        // Groups that rated nothing (e.g. the whole team when the team split up) would only add empty columns.
        var activeGroups = groups.Where(g => ratings.Any(r => r.RatingGroupId == g.Id)).ToList();
        if (activeGroups.Count == 0) activeGroups = groups;
        var rows = toolkit.Rubric.Rows.Select(row =>
        {
            var perGroup = activeGroups.Select(g =>
            {
                var rating = ratings.FirstOrDefault(r => r.RatingGroupId == g.Id && r.RowKey == row.Key);
                return new GroupRating(g.Name, rating?.Level, rating?.Evidence ?? "");
            }).ToList();
            var comparison = RatingComparison.Compare(row.Key, perGroup.Select(g => g.Level));
            var c = consensus.GetValueOrDefault(row.Key);
            return new CompareRow(row, perGroup, comparison, c?.Level, c?.Rationale ?? "", c?.Version, c?.By);
        }).ToList();
        var missing = RubricFinalization.MissingConsensus(toolkit.Rubric.Rows.Select(r => r.Key), consensus.Keys)
            .Select(k => toolkit.FindRubricRow(k)!.Label).ToList();
        return new CompareData(activeGroups.Select(g => g.Name).ToList(), rows, missing);
    }
}
