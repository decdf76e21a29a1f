using FluentValidation;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Activity1;

public sealed class ExampleForm
{
    public string? ConsequenceKey { get; set; }
    public string? Description { get; set; }
}

public sealed class ExampleFormValidator : AbstractValidator<ExampleForm>
{
    public ExampleFormValidator()
    {
        RuleFor(x => x.ConsequenceKey).Must(FormText.HasText).WithMessage("Choose the unintended consequence this example shows.");
        RuleFor(x => x.Description).Cascade(CascadeMode.Stop)
            .Must(FormText.HasText).WithMessage("Describe what happened.")
            .PlainText(TextLimits.LongText);
    }
}

public sealed class ReflectionForm
{
    public int? OutcomeNumber { get; set; }
    public string? Why { get; set; }
}

public sealed class ReflectionFormValidator : AbstractValidator<ReflectionForm>
{
    public ReflectionFormValidator()
    {
        RuleFor(x => x.OutcomeNumber).NotNull().WithMessage("Choose the learner outcome that resonates most with you.");
        RuleFor(x => x.Why).Cascade(CascadeMode.Stop)
            .PlainText(TextLimits.LongText);
    }
}

public sealed record ExampleRow(int Id, string ConsequenceKey, string Description, string? Author, bool IsMine, DateTimeOffset CreatedAt);
public sealed record ReflectionRow(string? Person, int OutcomeNumber, string Why, bool IsMine);

public sealed record Activity1PageModel(CycleContext Cycle, ToolkitDefinition Toolkit, IReadOnlyList<ExampleRow> Examples,
    IReadOnlyList<ReflectionRow> Reflections, ReflectionRow? Mine, bool CanEdit);

/// <summary>Activity 1: examples of the unintended consequences and the learner outcome each person chose.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/activity-1")]
public sealed class Activity1Controller(DistrictPageServices services, Activity1Writer writer) : DistrictControllerBase(services)
{
    [HttpGet("")]
    [CyclePage(Section = "activity-1")]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        return View(await BuildAsync(cycle));
    }

    [HttpPost("examples")]
    [CyclePage(Section = "activity-1", Requires = Permission.RateRubric)]
    public async Task<IActionResult> AddExample(int districtId, int cycleId, ExampleForm form)
    {
        var cycle = CurrentCycle;
        if (ModelState.IsValid && await writer.AddExampleAsync(districtId, cycleId, ToolkitOf(cycle), form, CurrentUserId) is Activity1WriteResult.Refused refused)
            ModelState.AddModelError(refused.Field, refused.Message);
        if (!ModelState.IsValid)
        {
            ViewData["ExampleForm"] = form;
            return View("Index", await BuildAsync(cycle));
        }
        TempData["Status"] = "Example added.";
        return RedirectToAction(nameof(Index), "Activity1", new { districtId, cycleId }, "examples");
    }

    [HttpPost("examples/{exampleId:int}/delete")]
    [CyclePage(Section = "activity-1")]
    public async Task<IActionResult> DeleteExample(int districtId, int cycleId, int exampleId)
    {
        var cycle = CurrentCycle;
        var example = await Db.ConsequenceExamples.SingleOrDefaultAsync(e => e.Id == exampleId && e.CycleId == cycleId);
        if (example is null) return NotFound();
        if (!cycle.Permissions.CanRateRubric || (example.CreatedByUserId != CurrentUserId && !cycle.Permissions.CanRecordConsensus)) return Denied();
        Db.ConsequenceExamples.Remove(example);
        await Db.SaveChangesAsync();
        TempData["Status"] = "Example removed.";
        return RedirectToAction(nameof(Index), "Activity1", new { districtId, cycleId }, "examples");
    }

    [HttpPost("reflection")]
    [CyclePage(Section = "activity-1", Requires = Permission.RateRubric)]
    public async Task<IActionResult> SaveReflection(int districtId, int cycleId, ReflectionForm form)
    {
        var cycle = CurrentCycle;
        if (ModelState.IsValid && await writer.SaveReflectionAsync(districtId, cycleId, ToolkitOf(cycle), form, CurrentUserId) is Activity1WriteResult.Refused refused)
            ModelState.AddModelError(refused.Field, refused.Message);
        if (!ModelState.IsValid)
        {
            ViewData["ReflectionForm"] = form;
            return View("Index", await BuildAsync(cycle));
        }
        TempData["Status"] = "Your learner outcome is saved.";
        return RedirectToAction(nameof(Index), "Activity1", new { districtId, cycleId }, "outcomes");
    }

    private async Task<Activity1PageModel> BuildAsync(CycleContext cycle)
    {
        var userId = CurrentUserId;
        var examples = await Db.ConsequenceExamples.Where(e => e.CycleId == cycle.CycleId).OrderBy(e => e.CreatedAt)
            .Select(e => new ExampleRow(e.Id, e.ConsequenceKey, e.Description,
                Db.Users.NameOf(e.CreatedByUserId), e.CreatedByUserId == userId, e.CreatedAt))
            .AsNoTracking().ToListAsync();
        var reflections = await Db.OutcomeReflections.Where(r => r.CycleId == cycle.CycleId).OrderBy(r => r.OutcomeNumber)
            .Select(r => new ReflectionRow(Db.Users.NameOf(r.UserId), r.OutcomeNumber, r.Why, r.UserId == userId))
            .AsNoTracking().ToListAsync();
        return new Activity1PageModel(cycle, ToolkitOf(cycle), examples, reflections, reflections.FirstOrDefault(r => r.IsMine), cycle.Permissions.CanRateRubric);
    }
}
