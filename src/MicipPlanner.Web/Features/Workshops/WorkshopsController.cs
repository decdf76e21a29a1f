using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Live;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;

namespace MicipPlanner.Web.Features.Workshops;

public sealed record GroupChoice(int Id, string Name, bool IsWholeTeam);
public sealed record NewWorkshopPage(CycleContext Cycle, StartWorkshopForm Form, IReadOnlyList<GroupChoice> Groups);
public sealed record WorkshopListItem(int Id, string Code, DateTimeOffset StartedAt, bool Open, int Participants);
public sealed record WorkshopListPage(CycleContext Cycle, IReadOnlyList<WorkshopListItem> Workshops);

public sealed record PresenterPage(CycleContext Cycle, WorkshopBoard Board, string JoinUrl, string QrDataUri, long DataVersion,
    Domain.Toolkits.ToolkitDefinition Toolkit);

public sealed record RemoveParticipantPage(CycleContext Cycle, int WorkshopId, int ParticipantId, string Name);

/// <summary>
/// Workshop mode, the facilitator's side: start a workshop for a cycle, project it (code, QR, timer, live tally), move
/// through the steps, remove a participant, end it and read the summary.
/// </summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/workshops")]
public sealed class WorkshopsController(DistrictPageServices services, IOptions<WorkshopOptions> options, IConfiguration configuration, LinkGenerator links, IHubContext<LiveHub> live)
    : DistrictControllerBase(services)
{
    /// <summary>The cycle's workshops: the open ones to project, the ended ones' summaries, and a way to start one.</summary>
    [HttpGet("")]
    [CyclePage(Section = "workshop", Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var now = Clock.GetUtcNow();
        var workshops = await Db.Workshops.Where(w => w.CycleId == cycleId).OrderByDescending(w => w.StartedAt)
            .Select(w => new WorkshopListItem(w.Id, w.Code, w.StartedAt, w.EndedAt == null && w.ExpiresAt > now,
                Db.WorkshopParticipants.Count(p => p.WorkshopId == w.Id && p.RemovedAt == null)))
            .AsNoTracking().ToListAsync();
        return View("Index", new WorkshopListPage(cycle, workshops));
    }

    [HttpGet("new")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> New(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var groups = await GroupsAsync(cycleId);
        var form = new StartWorkshopForm { GroupIds = groups.Where(g => !g.IsWholeTeam).Select(g => g.Id).ToList() };
        if (form.GroupIds.Count == 0) form.NewGroups = "Group 1\nGroup 2\nGroup 3";
        return View("New", new NewWorkshopPage(cycle, form, groups));
    }

    [HttpPost("")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> Start(int districtId, int cycleId, StartWorkshopForm form)
    {
        var cycle = CurrentCycle;
        var groups = await GroupsAsync(cycleId);
        if (form.GroupIds.Any(id => groups.All(g => g.Id != id)))
            ModelState.AddModelError(nameof(StartWorkshopForm.GroupIds), "Choose groups from the list.");
        var taken = groups.Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (ModelState.IsValid && form.NewGroupNames.FirstOrDefault(taken.Contains) is { } clash)
            ModelState.AddModelError(nameof(StartWorkshopForm.NewGroups), $"A group named “{clash}” exists already: tick it above instead.");
        if (!ModelState.IsValid) return View("New", new NewWorkshopPage(cycle, form, groups));

        var now = Clock.GetUtcNow();
        var created = form.NewGroupNames.Select((name, i) => new RatingGroup { DistrictId = districtId, CycleId = cycleId, Name = name, SortOrder = 100 + i }).ToList();
        Db.RatingGroups.AddRange(created);
        if (created.Count > 0) await Db.SaveChangesAsync();
        var groupIds = groups.Where(g => form.GroupIds.Contains(g.Id)).Select(g => g.Id).Concat(created.Select(g => g.Id)).ToList();
        var workshop = new Workshop
        {
            DistrictId = districtId, CycleId = cycleId, Code = await UnusedCodeAsync(),
            IncludesActivity1 = form.Activity1, IncludesActivity2 = form.Activity2, IncludesActivity3 = form.Activity3,
            GroupAssignment = form.Assignment!.Value, Groups = WorkshopGroup.ListOf(districtId, groupIds),
            Step = WorkshopStep.Arrival, StepOpenedAt = now, StartedByUserId = CurrentUserId, StartedAt = now,
            ExpiresAt = now + TimeSpan.FromHours(Math.Clamp(options.Value.ExpiryHours, 0.1, 72)),
        };
        Db.Workshops.Add(workshop);
        await Db.SaveChangesAsync();
        return RedirectToAction(nameof(Presenter), new { districtId, cycleId, workshopId = workshop.Id });
    }

    /// <summary>The presenter view while the workshop runs; its summary once it has ended.</summary>
    [HttpGet("{workshopId:int}")]
    [CyclePage(Section = "workshop", Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> Presenter(int districtId, int cycleId, int workshopId)
    {
        var cycle = CurrentCycle;
        var workshop = await FindAsync(cycleId, workshopId);
        if (workshop is null) return NotFound();
        var board = await WorkshopBoard.LoadAsync(Db, workshop, ToolkitOf(cycle), Clock.GetUtcNow());
        // The public base already carries any path base, so the join path is generated without it.
        var joinUrl = BaseUrl() + links.GetPathByAction(nameof(JoinController.Index), "Join", null, fragment: new FragmentString("#" + workshop.Code));
        var page = new PresenterPage(cycle, board, joinUrl, QrDataUri(joinUrl), cycle.District.DataVersion, ToolkitOf(cycle));
        return View(board.Open ? "Presenter" : "Summary", page);
    }

    /// <summary>
    /// Polled by the presenter view. Every change in the district raises its data version (ADR 7), which the permission
    /// check reads anyway: an unchanged version answers at once, without loading the tally.
    /// </summary>
    [HttpGet("{workshopId:int}/state")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> State(int districtId, int cycleId, int workshopId, long? v)
    {
        var cycle = CurrentCycle;
        if (v == cycle.District.DataVersion) return Json(new { unchanged = true, v });
        var workshop = await FindAsync(cycleId, workshopId, tracked: false);
        if (workshop is null) return NotFound();
        var board = await WorkshopBoard.LoadAsync(Db, workshop, ToolkitOf(cycle), Clock.GetUtcNow());
        return Json(board.ToJson(cycle.District.DataVersion));
    }

    [HttpPost("{workshopId:int}/step")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public Task<IActionResult> Step(int districtId, int cycleId, int workshopId, StepForm form) =>
        ChangeAsync(districtId, cycleId, workshopId, (workshop, now) =>
        {
            if (!ModelState.IsValid || form.Step is not { } step || !workshop.Steps.Contains(step))
                return "Choose a step of this workshop.";
            WorkshopRules.OpenStep(workshop, step, now);
            return null;
        });

    [HttpPost("{workshopId:int}/timer")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public Task<IActionResult> Timer(int districtId, int cycleId, int workshopId, TimerForm form) =>
        ChangeAsync(districtId, cycleId, workshopId, (workshop, now) =>
        {
            switch (ModelState.IsValid ? form.Action : null)
            {
                case TimerAction.Start: WorkshopRules.StartTimer(workshop, now); return null;
                case TimerAction.Pause: WorkshopRules.PauseTimer(workshop, now); return null;
                case TimerAction.AddFive: WorkshopRules.AddMinutes(workshop, 5); return null;
                default: return "Choose start, pause or add 5 minutes.";
            }
        });

    [HttpPost("{workshopId:int}/names")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public Task<IActionResult> Names(int districtId, int cycleId, int workshopId, NamesForm form) =>
        ChangeAsync(districtId, cycleId, workshopId, (workshop, _) =>
        {
            workshop.HideNames = form.Hide;
            return null;
        });

    [HttpGet("{workshopId:int}/end")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> ConfirmEnd(int districtId, int cycleId, int workshopId)
    {
        var cycle = CurrentCycle;
        var workshop = await FindAsync(cycleId, workshopId, tracked: false);
        if (workshop is null) return NotFound();
        if (!workshop.IsOpenAt(Clock.GetUtcNow())) return RedirectToAction(nameof(Presenter), new { districtId, cycleId, workshopId });
        return View("End", new RemoveParticipantPage(cycle, workshopId, 0, WorkshopCodes.Display(workshop.Code)));
    }

    [HttpPost("{workshopId:int}/end")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> End(int districtId, int cycleId, int workshopId)
    {
        var ended = false;
        var result = await ChangeAsync(districtId, cycleId, workshopId, (workshop, now) =>
        {
            WorkshopRules.End(workshop, now);
            ended = true;
            TempData["Status"] = $"Workshop {WorkshopCodes.Display(workshop.Code)} ended: its code no longer works. Everything entered stays in the cycle.";
            return null;
        });
        if (ended)
            await live.CloseSeatsAsync(await Db.WorkshopParticipants.Where(p => p.WorkshopId == workshopId).Select(p => p.Id).ToListAsync());
        return result;
    }

    [HttpGet("{workshopId:int}/participants/{participantId:int}/remove")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> ConfirmRemove(int districtId, int cycleId, int workshopId, int participantId)
    {
        var cycle = CurrentCycle;
        var name = await Db.WorkshopParticipants.Where(p => p.Id == participantId && p.WorkshopId == workshopId
                && Db.Workshops.Any(w => w.Id == workshopId && w.CycleId == cycleId))
            .Select(p => p.DisplayName).FirstOrDefaultAsync();
        if (name is null) return NotFound();
        return View("Remove", new RemoveParticipantPage(cycle, workshopId, participantId, name));
    }

    [HttpPost("{workshopId:int}/participants/{participantId:int}/remove")]
    [CyclePage(Requires = Permission.RunWorkshop)]
    public async Task<IActionResult> Remove(int districtId, int cycleId, int workshopId, int participantId)
    {
        var participant = await Db.WorkshopParticipants.SingleOrDefaultAsync(p => p.Id == participantId && p.WorkshopId == workshopId
            && Db.Workshops.Any(w => w.Id == workshopId && w.CycleId == cycleId));
        if (participant is null) return NotFound();
        participant.RemovedAt ??= Clock.GetUtcNow();
        await Db.SaveChangesAsync();
        await live.CloseSeatsAsync([participant.Id]);
        TempData["Status"] = $"{participant.DisplayName} was removed from the workshop. What they entered stays, under their name.";
        return RedirectToAction(nameof(Presenter), null, new { districtId, cycleId, workshopId }, "participants");
    }

    /// <summary>Loads the workshop, applies a change while it is open and returns to the presenter view.</summary>
    private async Task<IActionResult> ChangeAsync(int districtId, int cycleId, int workshopId, Func<Workshop, DateTimeOffset, string?> change)
    {
        var workshop = await FindAsync(cycleId, workshopId);
        if (workshop is null) return NotFound();
        var now = Clock.GetUtcNow();
        IActionResult Back() => RedirectToAction(nameof(Presenter), new { districtId, cycleId, workshopId });
        if (!workshop.IsOpenAt(now))
        {
            TempData["Status"] = "This workshop has ended; it can no longer be changed.";
            return Back();
        }
        if (change(workshop, now) is { } problem)
        {
            TempData["Status"] = problem;
            return Back();
        }
        try
        {
            await Db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Two facilitator screens clicked at once: the other click stands; the view shows the state it left.
            TempData["Status"] = "Another screen changed the workshop at the same moment; this view shows the current state.";
        }
        return Back();
    }

    private async Task<Workshop?> FindAsync(int cycleId, int workshopId, bool tracked = true)
    {
        var query = Db.Workshops.Where(w => w.Id == workshopId && w.CycleId == cycleId);
        return await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync();
    }

    private async Task<IReadOnlyList<GroupChoice>> GroupsAsync(int cycleId) =>
        await Db.RatingGroups.Where(g => g.CycleId == cycleId).OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new GroupChoice(g.Id, g.Name, g.IsWholeTeam)).AsNoTracking().ToListAsync();

    private async Task<string> UnusedCodeAsync()
    {
        // 148 million codes: a clash is rare, and the unique index would refuse one that slipped through.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var code = WorkshopCodes.New();
            if (!await Db.Workshops.AnyAsync(w => w.Code == code)) return code;
        }
        throw new DomainRuleException("Could not find a free workshop code; try again.");
    }

    private string BaseUrl()
    {
        var configured = configuration["App:PublicUrl"];
        return !string.IsNullOrWhiteSpace(configured) ? configured.TrimEnd('/') : $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
    }

    private static string QrDataUri(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }
}
