using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>Activity 2: rating the Isolation-to-Collaboration rubric, by group, several people at once.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/rubric")]
public sealed class RubricController(DistrictPageServices services, RatingWriter ratings) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Index(int districtId, int cycleId, int? group)
    {
        var cycle = CurrentCycle;
        var model = await BuildPageAsync(cycle, group, null, null);
        return model is null ? NotFound() : View("Rubric", model);
    }

    /// <summary>A row's rating posted by its form; the page's script posts to the same address for JSON (<see cref="RubricAutosaveController"/>).</summary>
    [HttpPost("groups/{groupId:int}/rows/{rowKey}")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Save(int districtId, int cycleId, int groupId, string rowKey, RatingForm form)
    {
        var cycle = CurrentCycle;
        var row = ToolkitOf(cycle).FindRubricRow(rowKey);
        if (row is null || !await RubricAutosaveController.GroupOfCycle(Db, groupId, cycleId)) return NotFound();
        if (!cycle.Permissions.CanRateRubric) return Denied();
        var place = new RatingPlace(districtId, cycleId, groupId, cycle.IsRubricFinalized);
        var result = RatingWriter.RefusalAt(place) ?? (ModelState.IsValid ? await ratings.SaveAsync(place, rowKey, form, CurrentUserId) : null);
        switch (result)
        {
            case null:
                return View("Rubric", await BuildPageAsync(cycle, groupId, rowKey, form));
            case RatingSaveResult.Refused refused:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", refused.Message);
                return View("Rubric", await BuildPageAsync(cycle, groupId, null, null));
            case RatingSaveResult.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                var theirs = conflict.Theirs;
                var shown = new RatingConflict(new RatingState(theirs.Level, theirs.Evidence, theirs.Version, theirs.By, theirs.UpdatedAt), form);
                return View("Rubric", await BuildPageAsync(cycle, groupId, rowKey, form, shown));
        }
        TempData["Status"] = $"Saved row {row.Number} ({row.Label}).";
        return RedirectToAction(nameof(Index), "Rubric", new { districtId, cycleId, group = groupId }, $"row-{rowKey}");
    }

    /// <summary>Ratings of a group changed since a moment (Unix milliseconds): polled by the page for live updates.</summary>
    [HttpGet("groups/{groupId:int}/changes")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Changes(int districtId, int cycleId, int groupId, long since)
    {
        var cycle = CurrentCycle;
        if (!await Db.RatingGroups.AnyAsync(g => g.Id == groupId && g.CycleId == cycleId)) return NotFound();
        var now = Clock.GetUtcNow();
        var from = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, since));
        var changes = await ratings.ChangesAsync(groupId, from, CurrentUserId);
        return Json(RatingWriter.ChangesJson(now, cycle.IsRubricFinalized, changes, cycle.District.TimeZone));
    }

    private sealed record GroupData(int Id, string Name, bool IsWholeTeam, IReadOnlyList<string> MemberIds);

    private sealed record StoredRating(string RowKey, int? Level, string Evidence, Guid Version, DateTimeOffset UpdatedAt, string? By);

    private sealed record GroupRatings(IReadOnlyDictionary<string, StoredRating> Ratings, IReadOnlyDictionary<string, int> Consensus);

    private async Task<RubricPageModel?> BuildPageAsync(CycleContext cycle, int? groupId, string? postedRow, RatingForm? posted,
        RatingConflict? conflict = null)
    {
        var userId = CurrentUserId;
        var cycleId = cycle.CycleId;
        var groupData = await LoadGroupsAsync(cycleId);
        var groups = groupData.Select(g => new GroupOption(g.Id, g.Name, g.IsWholeTeam, g.MemberIds.Contains(userId))).ToList();
        var group = groupId is null
            ? groups.FirstOrDefault(g => g.IsMine && !g.IsWholeTeam) ?? groups.FirstOrDefault(g => g.IsWholeTeam) ?? groups.FirstOrDefault()
            : groups.FirstOrDefault(g => g.Id == groupId);
        if (group is null) return null;

        var toolkit = ToolkitOf(cycle);
        var groupRatings = await LoadRatingsAsync(cycleId, group.Id);
        var ratings = groupRatings.Ratings;
        var consensus = groupRatings.Consensus;

        var rows = toolkit.Rubric.Rows.Select(row =>
        {
            var stored = ratings.GetValueOrDefault(row.Key);
            var state = stored is null
                ? new RatingState(null, "", null, null, null)
                : new RatingState(stored.Level, stored.Evidence, stored.Version, stored.By, stored.UpdatedAt);
            // A rejected post shows what the person typed, not what is stored, so nothing is lost.
            if (posted is not null && row.Key == postedRow && conflict is null)
                state = state with { Level = posted.Level, Evidence = posted.Evidence ?? "" };
            return new RubricRowView(row, state, consensus.TryGetValue(row.Key, out var c) ? c : null,
                row.Key == postedRow ? conflict : null);
        }).ToList();

        var canEdit = cycle.Permissions.CanRateRubric && !cycle.IsRubricFinalized;
        var reason = cycle.IsRubricFinalized
            ? "The rubric for this cycle is finalized: ratings are shown read-only."
            : !cycle.Permissions.CanRateRubric ? "You can read the ratings; the district team rates the rubric." : null;
        return new RubricPageModel(cycle, toolkit, groups, group, canEdit, reason, rows);
    }

    private async Task<IReadOnlyList<GroupData>> LoadGroupsAsync(int cycleId) => await GroupsOfCycle(Db, cycleId).ToListAsync();

    private async Task<GroupRatings> LoadRatingsAsync(int cycleId, int groupId)
    {
        var ratings = (await RatingsOfGroup(Db, groupId).ToListAsync()).ToDictionary(r => r.RowKey);
        var consensus = (await ConsensusOfCycle(Db, cycleId).ToListAsync()).ToDictionary(c => c.RowKey, c => c.Level);
        return new GroupRatings(ratings, consensus);
    }

    private sealed record ConsensusLevel(string RowKey, int Level);

    // Compiled once: every save in the district makes the rubric read these again.
    private static readonly Func<AppDbContext, int, IAsyncEnumerable<GroupData>> GroupsOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.RatingGroups.AsNoTracking().Where(g => g.CycleId == cycleId)
            .OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new GroupData(g.Id, g.Name, g.IsWholeTeam, g.Members.Select(m => m.UserId).ToList())));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<StoredRating>> RatingsOfGroup = EF.CompileAsyncQuery(
        (AppDbContext db, int groupId) => db.RubricRatings.AsNoTracking().Where(r => r.RatingGroupId == groupId)
            .Select(r => new StoredRating(r.RowKey, r.Level, r.Evidence, r.Version, r.UpdatedAt,
                db.Users.NameOf(r.UpdatedByUserId))));

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<ConsensusLevel>> ConsensusOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId) => db.ConsensusRatings.AsNoTracking().Where(c => c.CycleId == cycleId)
            .Select(c => new ConsensusLevel(c.RowKey, c.Level)));
}
