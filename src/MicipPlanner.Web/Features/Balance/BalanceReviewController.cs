using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Review;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>Activity 3: the template workflow (submit, return, accept) and comments; the desk's queue posts here too.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/balance")]
public sealed class BalanceReviewController(DistrictPageServices services, Notifier notifier) : DistrictControllerBase(services)
{
    [HttpPost("buildings/{buildingId:int}/submit")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Submit(int districtId, int cycleId, int buildingId, ReviewForm form)
    {
        var cycle = CurrentCycle;
        if (!await Page(cycle).CanSeeBuildingAsync(buildingId)) return NotFound();
        if (!await Page(cycle).MaySubmitAsync(buildingId)) return Denied();
        var template = await Db.BalanceTemplates.Include(t => t.Items).SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        var toolkit = ToolkitOf(cycle);
        if (template is null)
            return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status400BadRequest, "Fill the template before submitting it.",
                TemplateWorkflow.MissingForSubmission(toolkit.Balance, TemplateWorkflow.BuildingSlots(toolkit.Balance), []));

        var step = TemplateWorkflow.Apply(template.State, TemplateAction.Submit);
        if (!step.Allowed) return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, step.Reason!, []);
        var missing = TemplateWorkflow.MissingForSubmission(toolkit.Balance, TemplateWorkflow.BuildingSlots(toolkit.Balance),
            template.Items.Select(i => new ItemEntry(new ItemSlot(i.RowNumber, i.Function), i.Status, i.NextAction, i.Owner)));
        if (missing.Count > 0)
            return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status400BadRequest, "The template is not complete yet. Fill these, then submit again:", missing);

        if (!await TransitionAsync(template, step.NewState!.Value, form.Version, ""))
            return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, "The template changed while you were submitting (or was already submitted). Check it and submit again if needed.", []);
        var name = await BuildingNameAsync(buildingId);
        await notifier.ToDistrictSideAsync(districtId, $"{name} submitted its Building Action Planning template for {cycle.SchoolYear}.",
            TemplateLink(districtId, cycleId, buildingId), CurrentUserId);
        TempData["Status"] = "Submitted to the district team. The template is read-only while the district reviews it.";
        return RedirectToAction(nameof(BalanceTemplatesController.Building), "BalanceTemplates", new { districtId, cycleId, buildingId });
    }

    [HttpPost("buildings/{buildingId:int}/return")]
    [CyclePage(Section = "balance")]
    public Task<IActionResult> Return(int districtId, int cycleId, int buildingId, ReviewForm form) =>
        ReviewAsync(districtId, cycleId, buildingId, TemplateAction.Return, form);

    [HttpPost("buildings/{buildingId:int}/accept")]
    [CyclePage(Section = "balance")]
    public Task<IActionResult> Accept(int districtId, int cycleId, int buildingId, ReviewForm form) =>
        ReviewAsync(districtId, cycleId, buildingId, TemplateAction.Accept, form);

    [HttpPost("buildings/{buildingId:int}/comments")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Comment(int districtId, int cycleId, int buildingId, ItemCommentForm form)
    {
        var cycle = CurrentCycle;
        if (!await Page(cycle).CanSeeBuildingAsync(buildingId)) return NotFound();
        if (!cycle.Permissions.CanComment) return Denied();
        var template = await Db.BalanceTemplates.SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        if (template is null) return NotFound();
        var slots = TemplateWorkflow.BuildingSlots(ToolkitOf(cycle).Balance).Select(s => $"{s.RowNumber}-{s.Function}").ToHashSet();
        if (!string.IsNullOrEmpty(form.TargetKey) && !slots.Contains(form.TargetKey))
            ModelState.AddModelError(nameof(ItemCommentForm.TargetKey), "Choose an item of this template.");
        if (!ModelState.IsValid) return await Page(cycle).RefuseFormAsync(this, buildingId);
        Db.Comments.Add(new Comment
        {
            DistrictId = districtId, CycleId = cycleId,
            TargetType = string.IsNullOrEmpty(form.TargetKey) ? CommentTarget.Template : CommentTarget.TemplateItem,
            TargetKey = string.IsNullOrEmpty(form.TargetKey) ? template.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{template.Id}:{form.TargetKey}",
            Body = FormText.Clean(form.Body), AuthorUserId = CurrentUserId, CreatedAt = Clock.GetUtcNow(),
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = "Comment added.";
        return RedirectToAction(nameof(BalanceTemplatesController.Building), "BalanceTemplates", new { districtId, cycleId, buildingId },
            string.IsNullOrEmpty(form.TargetKey) ? "review" : "item-" + form.TargetKey);
    }

    private async Task<IActionResult> ReviewAsync(int districtId, int cycleId, int buildingId, TemplateAction action, ReviewForm form)
    {
        var cycle = CurrentCycle;
        if (!await Page(cycle).CanSeeBuildingAsync(buildingId)) return NotFound();
        if (!cycle.Permissions.CanReviewTemplates) return Denied();
        var template = await Db.BalanceTemplates.SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        if (template is null) return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, "This building has not started its template.", []);
        var comment = FormText.Clean(form.Comment);
        // A missing comment is the reviewer's to fix in the form, not a state of the template: shown next to the field.
        if (action == TemplateAction.Return && template.State == TemplateState.Submitted && comment.Length == 0)
            ModelState.AddModelError(nameof(ReviewForm.Comment), TemplateWorkflow.ReturnNeedsComment);
        if (!ModelState.IsValid) return await Page(cycle).RefuseFormAsync(this, buildingId);
        var step = TemplateWorkflow.Apply(template.State, action, comment);
        if (!step.Allowed) return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, step.Reason!, []);
        if (!await TransitionAsync(template, step.NewState!.Value, form.Version, comment))
            return await Page(cycle).RefuseAsync(this, buildingId, StatusCodes.Status409Conflict, "The template changed while you were reviewing it. Look at the current version and decide again.", []);
        var name = await BuildingNameAsync(buildingId);
        var verb = action == TemplateAction.Accept ? "accepted" : "returned";
        await notifier.ToBuildingTeamAsync(districtId, buildingId,
            $"The district team {verb} the {name} template for {cycle.SchoolYear}" + (comment.Length > 0 ? $": “{Shorten(comment)}”" : "."),
            TemplateLink(districtId, cycleId, buildingId), CurrentUserId);
        TempData["Status"] = action == TemplateAction.Accept ? $"{name}'s template is accepted." : $"{name}'s template was returned to the building with your comment.";
        // The desk's queue posts here too, so both places share one review workflow; a fixed value, never a URL.
        if (form.ReturnTo == "desk") return RedirectToAction("Index", "Desk", null, "queue");
        return RedirectToAction(nameof(BalanceTemplatesController.Index), "BalanceTemplates", new { districtId, cycleId });
    }

    /// <summary>Moves the template and records who did it; false when the version the person saw is no longer current.</summary>
    private async Task<bool> TransitionAsync(BalanceTemplate template, TemplateState to, Guid? seenVersion, string comment)
    {
        if (seenVersion is { } version) Db.ShownAs(template, version);
        var now = Clock.GetUtcNow();
        template.Transitions.Add(new TemplateTransition { DistrictId = template.DistrictId, From = template.State, To = to, UserId = CurrentUserId, At = now, Comment = comment });
        template.State = to;
        template.UpdatedAt = now;
        if (to == TemplateState.Submitted) template.SubmittedAt = now;
        if (to is TemplateState.Accepted or TemplateState.Returned) template.DecidedAt = now;
        return await ConflictSave.SaveUnlessConflictAsync(Db, null, HttpContext.RequestAborted);
    }

    private Task<string> BuildingNameAsync(int buildingId) =>
        Db.Buildings.Where(b => b.Id == buildingId).Select(b => b.Name).SingleAsync();

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..139] + "…";

    private TemplatePage Page(CycleContext cycle) => new(Db, cycle, ToolkitOf(cycle), CurrentUserId);

    /// <summary>Where a notice about a building's template sends its reader (stored with the notice).</summary>
    private string TemplateLink(int districtId, int cycleId, int buildingId) =>
        Url.Action(nameof(BalanceTemplatesController.Building), "BalanceTemplates", new { districtId, cycleId, buildingId })!;
}
