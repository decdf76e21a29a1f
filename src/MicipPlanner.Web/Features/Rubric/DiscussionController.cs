using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Rubric;

/// <summary>The discussion after rating: causal theories, barriers, actions to begin and to maintain the shift.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/rubric/discussion")]
public sealed class DiscussionController(DistrictPageServices services, DiscussionWriter writer) : DistrictControllerBase(services)
{
    private const string Page = "Discussion";

    [HttpGet("")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        return View(Page, await BuildAsync(cycle));
    }

    [HttpPost("{questionKey}")]
    [CyclePage(Section = "rubric")]
    public async Task<IActionResult> Save(int districtId, int cycleId, string questionKey, DiscussionForm form)
    {
        var cycle = CurrentCycle;
        var question = ToolkitOf(cycle).Rubric.DiscussionQuestions.FirstOrDefault(q => q.Key == questionKey);
        if (question is null) return NotFound();
        if (!cycle.Permissions.CanRateRubric) return Denied();
        if (!ModelState.IsValid)
        {
            ViewData["ErrorQuestion"] = questionKey;
            ViewData["PostedText"] = form.Text;
            return View(Page, await BuildAsync(cycle));
        }
        if (await writer.SaveAsync(districtId, cycleId, questionKey, form, CurrentUserId) is DiscussionSaveResult.Conflict)
            return await ConflictedAsync(cycle, questionKey, form);
        TempData["Status"] = "Discussion notes saved.";
        return RedirectToAction(nameof(Index), "Discussion", new { districtId, cycleId }, $"q-{questionKey}");
    }

    private async Task<IActionResult> ConflictedAsync(CycleContext cycle, string questionKey, DiscussionForm form)
    {
        Response.StatusCode = StatusCodes.Status409Conflict;
        ViewData["ErrorQuestion"] = questionKey;
        ViewData["PostedText"] = form.Text;
        ModelState.AddModelError("", "Someone else saved these notes while you were writing. Their notes are shown above the box; your text is still in the box — merge them and save again.");
        return View(Page, await BuildAsync(cycle));
    }

    private async Task<DiscussionPageModel> BuildAsync(CycleContext cycle)
    {
        var notes = await Db.DiscussionNotes.Where(n => n.CycleId == cycle.CycleId)
            .Select(n => new { n.QuestionKey, n.Text, n.Version, n.UpdatedAt, By = Db.Users.NameOf(n.UpdatedByUserId) })
            .AsNoTracking().ToDictionaryAsync(n => n.QuestionKey);
        var items = ToolkitOf(cycle).Rubric.DiscussionQuestions.Select(q =>
        {
            var n = notes.GetValueOrDefault(q.Key);
            return new DiscussionItem(q, n?.Text ?? "", n?.Version, n?.By, n?.UpdatedAt);
        }).ToList();
        var team = await TeamDirectory.DistrictTeamAsync(Db, cycle.DistrictId);
        return new DiscussionPageModel(cycle, items, team, cycle.Permissions.CanRateRubric);
    }
}
