using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Actions;

public sealed class ActionItemForm
{
    public string? Title { get; set; }
    public string? SourceKey { get; set; }
    public string? OwnerUserId { get; set; }
    public DateOnly? DueDate { get; set; }
    public ActionStatus Status { get; set; } = ActionStatus.NotStarted;
    public Guid? Version { get; set; }
}

public sealed class ActionItemFormValidator : AbstractValidator<ActionItemForm>
{
    public ActionItemFormValidator()
    {
        RuleFor(x => x.Title).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Describe the action.")
            .SingleLineText(TextLimits.ShortText);
        RuleFor(x => x.Status).IsInEnum().WithMessage("Choose a status from the list.");
        RuleFor(x => x.DueDate).Must(d => d is null || (d.Value.Year >= 2000 && d.Value.Year <= 2100)).WithMessage("Enter a date between 2000 and 2100.");
        RuleFor(x => x.SourceKey).Must(k => (k ?? "").Length <= 64).WithMessage("Unknown source.");
    }
}

/// <param name="PlanActivityId">The plan's activity filed from this item, or null while it is not in the plan.</param>
public sealed record ActionRow(int Id, string Title, string? OwnerUserId, string? OwnerName, DateOnly? DueDate, ActionStatus Status, bool IsOverdue, Guid Version, string SourceKey,
    int? PlanActivityId = null, string? PlanActivityTitle = null);

public sealed record ActionsPageModel(CycleContext Cycle, string Filter, IReadOnlyList<ActionRow> Items, IReadOnlyList<Rubric.MemberOption> TeamMembers, bool CanEdit);

/// <summary>Action items decided by the team: owner, due date, status; open and overdue ones show on the dashboard.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/actions")]
public sealed class ActionsController(DistrictPageServices services) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [CyclePage(Section = "actions")]
    public async Task<IActionResult> Index(int districtId, int cycleId, string? show)
    {
        var cycle = CurrentCycle;
        return View(await BuildAsync(cycle, show));
    }

    [HttpPost("")]
    [CyclePage(Section = "actions", Requires = Permission.RateRubric)]
    public async Task<IActionResult> Create(int districtId, int cycleId, ActionItemForm form)
    {
        var cycle = CurrentCycle;
        await CheckOwnerAsync(districtId, form);
        if (!ModelState.IsValid)
        {
            ViewData["NewForm"] = form;
            return View("Index", await BuildAsync(cycle, null));
        }
        Db.ActionItems.Add(new ActionItem
        {
            DistrictId = districtId, CycleId = cycleId, Title = FormText.Clean(form.Title), SourceKey = form.SourceKey ?? "",
            OwnerUserId = string.IsNullOrEmpty(form.OwnerUserId) ? null : form.OwnerUserId, DueDate = form.DueDate, Status = form.Status,
            CreatedByUserId = CurrentUserId, CreatedAt = Clock.GetUtcNow(),
            CompletedAt = form.Status == ActionStatus.Done ? Clock.GetUtcNow() : null,
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = "Action item added.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    [HttpPost("{actionId:int}")]
    [CyclePage(Section = "actions")]
    public async Task<IActionResult> Update(int districtId, int cycleId, int actionId, ActionItemForm form)
    {
        var cycle = CurrentCycle;
        var item = await Db.ActionItems.SingleOrDefaultAsync(a => a.Id == actionId && a.CycleId == cycleId);
        if (item is null) return NotFound();
        if (!cycle.Permissions.CanRateRubric) return Denied();
        await CheckOwnerAsync(districtId, form);
        if (!ModelState.IsValid)
        {
            ViewData["ErrorItem"] = actionId;
            return View("Index", await BuildAsync(cycle, null));
        }
        if (form.Version is { } version) Db.ShownAs(item, version);
        item.Title = FormText.Clean(form.Title);
        item.OwnerUserId = string.IsNullOrEmpty(form.OwnerUserId) ? null : form.OwnerUserId;
        item.DueDate = form.DueDate;
        if (item.Status != form.Status) item.CompletedAt = form.Status == ActionStatus.Done ? Clock.GetUtcNow() : null;
        item.Status = form.Status;
        if (!await this.SavedWithoutConflictAsync(Db, "Someone else updated this action item while you were editing. The list shows their version; make your change again."))
            return View("Index", await BuildAsync(cycle, null));
        TempData["Status"] = "Action item updated.";
        return RedirectToAction(nameof(Index), new { districtId, cycleId });
    }

    private async Task CheckOwnerAsync(int districtId, ActionItemForm form)
    {
        if (string.IsNullOrEmpty(form.OwnerUserId)) return;
        var onTeam = await Db.TeamMemberships.AnyAsync(m => m.DistrictId == districtId && m.UserId == form.OwnerUserId);
        if (!onTeam) ModelState.AddModelError(nameof(ActionItemForm.OwnerUserId), "Choose an owner from the district's team.");
    }

    private async Task<ActionsPageModel> BuildAsync(CycleContext cycle, string? show)
    {
        var today = TimeZones.DateIn(Clock.GetUtcNow(), cycle.District.TimeZone);
        var filter = show is "open" or "overdue" or "done" ? show : "all";
        var query = Db.ActionItems.Where(a => a.CycleId == cycle.CycleId);
        query = filter switch
        {
            "open" => query.Where(a => a.Status != ActionStatus.Done),
            "overdue" => query.Where(a => a.Status != ActionStatus.Done && a.DueDate != null && a.DueDate < today),
            "done" => query.Where(a => a.Status == ActionStatus.Done),
            _ => query,
        };
        var items = await query.OrderBy(a => a.Status == ActionStatus.Done).ThenBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.Title, a.OwnerUserId, a.DueDate, a.Status, a.Version, a.SourceKey,
                Owner = Db.Users.NameOf(a.OwnerUserId),
                Filed = Db.PlanActivities.Where(p => p.SourceActionItemId == a.Id).Select(p => new { p.Id, p.Title }).FirstOrDefault(),
            })
            .AsNoTracking().ToListAsync();
        var team = await TeamDirectory.DistrictTeamAsync(Db, cycle.DistrictId);
        return new ActionsPageModel(cycle, filter, items.Select(a => new ActionRow(a.Id, a.Title, a.OwnerUserId, a.Owner, a.DueDate, a.Status,
            a.Status != ActionStatus.Done && a.DueDate is { } d && d < today, a.Version, a.SourceKey, a.Filed?.Id, a.Filed?.Title)).ToList(), team, cycle.Permissions.CanRateRubric);
    }
}
