using System.Globalization;
using System.Security.Claims;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Activity1;
using MicipPlanner.Web.Features.Rubric;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>A participant's seat with what their requests need of the workshop, read in one query.</summary>
public sealed record Seat(int Id, string UserId, string DisplayName, int? GroupId, bool Removed, int WorkshopId, string Code, int DistrictId,
    int CycleId, WorkshopStep Step, DateTimeOffset? EndedAt, DateTimeOffset ExpiresAt, GroupAssignment Assignment,
    string ToolkitKey, int ToolkitVersion, bool RubricFinalized, string TimeZoneId)
{
    public bool IsOpenAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    /// <summary>Whether the seat may still take part: not removed, and its workshop running.</summary>
    public bool IsActiveAt(DateTimeOffset now) => !Removed && IsOpenAt(now);
}

public sealed record ParticipantGroup(int Id, string Name)
{
    /// <summary>A workshop's groups in the order the facilitator listed them: the participant page, the board and joining read them so.</summary>
    public static IQueryable<ParticipantGroup> ListedIn(AppDbContext db, int workshopId) =>
        from listed in db.WorkshopGroups
        join g in db.RatingGroups on listed.RatingGroupId equals g.Id
        where listed.WorkshopId == workshopId
        orderby listed.Position
        select new ParticipantGroup(g.Id, g.Name);
}

public sealed record ParticipantPage(Seat Seat, ToolkitDefinition Toolkit, IReadOnlyList<ParticipantGroup> Groups, string? GroupName,
    IReadOnlyDictionary<string, StoredRatingState> Ratings, IReadOnlyDictionary<string, StoredRatingState> Notes, int? MyOutcome, string MyWhy,
    IReadOnlyList<string> MyExamples)
{
    public TimeZoneInfo Zone => TimeZones.Find(Seat.TimeZoneId);
}

public sealed record ClosedPage(string Heading, string Message);

/// <summary>
/// Workshop mode, the participant's side: join with a code and a name (no account), then take part in the step the
/// facilitator opened. Everything is written into the cycle's records as the participant's seat, and the audit
/// trail names the workshop.
/// </summary>
[Route("join")]
public sealed class JoinController(AppDbContext db, ToolkitCatalog toolkits, TimeProvider clock, JoinGuard guard, IOptions<WorkshopOptions> options,
    RatingWriter ratings, DiscussionWriter discussion, Activity1Writer activity1, ActingSeatScope acting) : ParticipantControllerBase
{
    // Views live with the rest of workshop mode, not under a folder named after this controller.
    private const string Page = "Participate";
    private const string JoinPage = "Join";

    [HttpGet("")]
    public IActionResult Index() => View(JoinPage, new JoinForm { Name = SignedInName() });

    [HttpPost("")]
    public async Task<IActionResult> Join(JoinForm form)
    {
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (guard.IsBlocked(client))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = guard.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            ModelState.AddModelError("", "Too many wrong codes from this network. Wait a few minutes, then check the code on the screen and try again.");
            return View(JoinPage, form);
        }
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null) ModelState.Remove(nameof(JoinForm.Name));
        var code = WorkshopCodes.Normalize(form.Code);
        var now = clock.GetUtcNow();
        var workshop = code is null ? null : await db.Workshops.Where(w => w.Code == code)
            .Select(w => new { w.Id, w.DistrictId, w.Code, w.EndedAt, w.ExpiresAt, w.GroupAssignment }).AsNoTracking().SingleOrDefaultAsync();
        if (code is not null && (workshop is null || workshop.EndedAt is not null || now >= workshop.ExpiresAt))
        {
            guard.RecordFailure(client);
            if (workshop is not null)
            {
                Response.StatusCode = StatusCodes.Status410Gone;
                return View(ClosedView, Ended);
            }
            // The same answer whether the code never existed or was mistyped: nothing to learn by guessing.
            ModelState.AddModelError(nameof(JoinForm.Code), "No open workshop has this code. Check the code on the screen and try again.");
        }
        if (!ModelState.IsValid || workshop is null) return View(JoinPage, form);
        if (await RemovedFromAsync(workshop.Id, userId))
        {
            // A removed browser (or account) stays out of that workshop: a new name does not make a new person.
            Response.StatusCode = StatusCodes.Status403Forbidden;
            ModelState.AddModelError("", "The facilitator removed you from this workshop. If that was a mistake, ask them to let you back in.");
            return View(JoinPage, form);
        }
        var max = Math.Max(1, options.Value.MaxParticipants);
        if (await db.WorkshopParticipants.CountAsync(p => p.WorkshopId == workshop.Id && p.RemovedAt == null) >= max)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            ModelState.AddModelError("", $"This workshop is full: {max} people have joined it. Ask the facilitator.");
            return View(JoinPage, form);
        }

        var name = userId is not null ? SignedInName() ?? FormText.Clean(form.Name) : FormText.Clean(form.Name);
        if (userId is null)
        {
            // An account of its own for the seat, without password or e-mail sign-in: the cycle's records name their
            // author by account, so the participant's entries show their name like everyone else's.
            var seatAccount = $"workshop-{Guid.NewGuid():N}";
            var user = new AppUser
            {
                UserName = seatAccount, NormalizedUserName = seatAccount.ToUpperInvariant(),
                Email = $"{seatAccount}@{WorkshopSeats.EmailDomain}", NormalizedEmail = $"{seatAccount}@{WorkshopSeats.EmailDomain}".ToUpperInvariant(),
                DisplayName = name, CreatedAt = now, SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true, LockoutEnd = DateTimeOffset.MaxValue,
            };
            db.Users.Add(user);
            userId = user.Id;
        }
        int? groupId = null;
        if (workshop.GroupAssignment == GroupAssignment.RoundRobin)
        {
            var ids = await ParticipantGroup.ListedIn(db, workshop.Id).Select(g => g.Id).ToListAsync();
            var counts = await db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id && p.RemovedAt == null && p.RatingGroupId != null)
                .GroupBy(p => p.RatingGroupId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            groupId = WorkshopRules.RoundRobinGroup(ids, counts);
        }
        var participant = new WorkshopParticipant
        {
            DistrictId = workshop.DistrictId, WorkshopId = workshop.Id, UserId = userId, HasOwnAccount = User.Identity?.IsAuthenticated == true,
            DisplayName = name, RatingGroupId = groupId, JoinedAt = now,
        };
        db.WorkshopParticipants.Add(participant);
        acting.Seat = new ActingSeat(userId, WorkshopRules.AuditVia(workshop.Code));
        await db.SaveChangesAsync();
        await HttpContext.SignInAsync(ParticipantCookie.Scheme, ParticipantCookie.Principal(participant.Id, workshop.Id),
            new AuthenticationProperties { IsPersistent = true, ExpiresUtc = workshop.ExpiresAt, AllowRefresh = false });
        return RedirectToAction(nameof(Participate));
    }

    /// <summary>Whether this browser's seat cookie, or the signed-in account, was removed from the workshop.</summary>
    private async Task<bool> RemovedFromAsync(int workshopId, string? userId)
    {
        var cookie = await HttpContext.AuthenticateAsync(ParticipantCookie.Scheme);
        var seatId = cookie.Principal?.FindFirstValue(ParticipantCookie.WorkshopClaim) == workshopId.ToString(CultureInfo.InvariantCulture)
            && int.TryParse(cookie.Principal.FindFirstValue(ParticipantCookie.ParticipantClaim), CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        if (seatId is null && userId is null) return false;
        return await db.WorkshopParticipants.AnyAsync(p => p.WorkshopId == workshopId && p.RemovedAt != null
            && (p.Id == seatId || (userId != null && p.UserId == userId)));
    }

    [HttpGet("workshop")]
    [SeatPage]
    public async Task<IActionResult> Participate()
    {
        var seat = CurrentSeat;
        // The evaluation step has a page of its own (WorkshopEvaluationController).
        if (seat.Step == WorkshopStep.Evaluation) return RedirectToAction(nameof(WorkshopEvaluationController.Index), "WorkshopEvaluation");
        return View(Page, await BuildAsync(seat));
    }

    /// <summary>
    /// The participant page's one poll: the open step, the seat's group and the group's rating changes after
    /// <paramref name="since"/> (Unix milliseconds), in one answer. The page sends the step and group it shows; when
    /// neither moved and no rating changed, the answer is 204 with no body. JSON only, never a page.
    /// </summary>
    [HttpGet("workshop/poll")]
    [SeatPage(Json = true)]
    public async Task<IActionResult> Poll(string? step, int? group, long since)
    {
        var seat = CurrentSeat;
        var now = clock.GetUtcNow();
        var moved = !string.Equals(step, seat.Step.ToString(), StringComparison.Ordinal) || group != seat.GroupId;
        List<RatingChange> changes = [];
        // Only the rating step's page shows the group's ratings; a page about to reload needs no changes.
        if (!moved && seat.Step == WorkshopStep.Activity2 && seat.GroupId is { } groupId)
            changes = await ratings.ChangesAsync(groupId, DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, since)), seat.UserId);
        if (!moved && changes.Count == 0) return NoContent();
        return Json(new
        {
            step = seat.Step.ToString(),
            group = seat.GroupId,
            rubric = RatingWriter.ChangesJson(now, seat.RubricFinalized, changes, TimeZones.Find(seat.TimeZoneId)),
        });
    }

    [HttpPost("workshop/group")]
    [SeatPage]
    public async Task<IActionResult> PickGroup(PickGroupForm form)
    {
        var seat = CurrentSeat;
        // A group is picked once: moving mid-activity would move the person's ratings out of the tally the presenter shows.
        if (seat.GroupId is not null)
            return Refuse(seat.Assignment == GroupAssignment.ParticipantsPick
                ? "You are already in a group. If you should move, ask the facilitator." : "The facilitator assigned your group.", seat);
        if (form.GroupId is not { } groupId || !await db.WorkshopGroups.AnyAsync(g => g.WorkshopId == seat.WorkshopId && g.RatingGroupId == groupId))
        {
            ModelState.AddModelError(nameof(PickGroupForm.GroupId), "Choose one of the groups listed.");
            return View(Page, await BuildAsync(seat));
        }
        var participant = await db.WorkshopParticipants.SingleAsync(p => p.Id == seat.Id);
        participant.RatingGroupId = groupId;
        await db.SaveChangesAsync();
        return RedirectToAction(nameof(Participate));
    }

    /// <summary>A row's rating posted by its form; the page's script posts to the same address for JSON (<see cref="ParticipantAutosaveController"/>).</summary>
    [HttpPost("workshop/rows/{rowKey}")]
    [SeatPage]
    public async Task<IActionResult> Rate(string rowKey, RatingForm form)
    {
        var seat = CurrentSeat;
        var row = toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion).FindRubricRow(rowKey);
        if (row is null) return NotFound();
        if (seat.Step != WorkshopStep.Activity2 || seat.GroupId is not { } groupId)
            return Refuse(ParticipantAutosaveController.RatingClosedMessage, seat);
        var place = new RatingPlace(seat.DistrictId, seat.CycleId, groupId, seat.RubricFinalized);
        var result = RatingWriter.RefusalAt(place) ?? (ModelState.IsValid ? await ratings.SaveAsync(place, rowKey, form, seat.UserId) : null);
        switch (result)
        {
            case null:
                ViewData["PostedRow"] = rowKey;
                ViewData["PostedRating"] = form;
                return View(Page, await BuildAsync(seat));
            case RatingSaveResult.Refused refused:
                return Refuse(refused.Message, seat);
            case RatingSaveResult.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", $"{conflict.Theirs.By ?? "Someone"} in your group saved row {row.Number} while you were editing. Their version is shown now; your text was: “{form.Evidence}”.");
                return View(Page, await BuildAsync(seat));
        }
        TempData["Status"] = $"Saved row {row.Number} ({row.Label}).";
        return RedirectToAction(nameof(Participate), null, null, $"row-{rowKey}");
    }

    [HttpPost("workshop/activity-1/example")]
    [SeatPage]
    public async Task<IActionResult> AddExample(ExampleForm form)
    {
        var seat = CurrentSeat;
        if (seat.Step != WorkshopStep.Activity1) return Refuse("Activity 1 is not open right now.", seat);
        if (ModelState.IsValid && await activity1.AddExampleAsync(seat.DistrictId, seat.CycleId, toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion), form, seat.UserId)
                is Activity1WriteResult.Refused refused)
            ModelState.AddModelError(refused.Field, refused.Message);
        if (!ModelState.IsValid)
        {
            ViewData["ExampleForm"] = form;
            return View(Page, await BuildAsync(seat));
        }
        TempData["Status"] = "Your example is added.";
        return RedirectToAction(nameof(Participate), null, null, "examples");
    }

    [HttpPost("workshop/activity-1/reflection")]
    [SeatPage]
    public async Task<IActionResult> SaveReflection(ReflectionForm form)
    {
        var seat = CurrentSeat;
        if (seat.Step != WorkshopStep.Activity1) return Refuse("Activity 1 is not open right now.", seat);
        if (ModelState.IsValid && await activity1.SaveReflectionAsync(seat.DistrictId, seat.CycleId, toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion), form, seat.UserId)
                is Activity1WriteResult.Refused refused)
            ModelState.AddModelError(refused.Field, refused.Message);
        if (!ModelState.IsValid)
        {
            ViewData["ReflectionForm"] = form;
            return View(Page, await BuildAsync(seat));
        }
        TempData["Status"] = "Your learner outcome is saved.";
        return RedirectToAction(nameof(Participate), null, null, "outcome");
    }

    [HttpPost("workshop/discussion/{questionKey}")]
    [SeatPage]
    public async Task<IActionResult> SaveDiscussion(string questionKey, DiscussionForm form)
    {
        var seat = CurrentSeat;
        var toolkit = toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion);
        if (toolkit.Rubric.DiscussionQuestions.All(q => q.Key != questionKey)) return NotFound();
        if (seat.Step != WorkshopStep.Activity3) return Refuse("The discussion is not open right now.", seat);
        if (!ModelState.IsValid)
        {
            ViewData["PostedQuestion"] = questionKey;
            ViewData["PostedText"] = form.Text;
            return View(Page, await BuildAsync(seat));
        }
        if (await discussion.SaveAsync(seat.DistrictId, seat.CycleId, questionKey, form, seat.UserId) is DiscussionSaveResult.Conflict)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            ViewData["PostedQuestion"] = questionKey;
            ViewData["PostedText"] = form.Text;
            ModelState.AddModelError("", "Someone else saved this answer while you were writing. Their answer is shown; your text is still in the box — merge them and save again.");
            return View(Page, await BuildAsync(seat));
        }
        TempData["Status"] = "Answer saved.";
        return RedirectToAction(nameof(Participate), null, null, $"q-{questionKey}");
    }

    // Compiled once: every participant request and poll starts with it (and a seat's live connection).
    internal static readonly Func<AppDbContext, int, Task<Seat?>> SeatOf = EF.CompileAsyncQuery((AppDbContext db, int participantId) =>
        (from p in db.WorkshopParticipants
         join w in db.Workshops on p.WorkshopId equals w.Id
         join c in db.Cycles on w.CycleId equals c.Id
         join d in db.Districts on w.DistrictId equals d.Id
         where p.Id == participantId
         select new Seat(p.Id, p.UserId, p.DisplayName, p.RatingGroupId, p.RemovedAt != null, w.Id, w.Code, w.DistrictId, w.CycleId, w.Step,
             w.EndedAt, w.ExpiresAt, w.GroupAssignment, c.ToolkitKey, c.ToolkitVersion, c.RubricFinalizedAt != null, d.TimeZoneId))
        .FirstOrDefault());

    private IActionResult Refuse(string message, Seat seat)
    {
        TempData["Status"] = message;
        return RedirectToAction(nameof(Participate));
    }

    private async Task<ParticipantPage> BuildAsync(Seat seat)
    {
        var toolkit = toolkits.Get(seat.ToolkitKey, seat.ToolkitVersion);
        var groups = await ParticipantGroup.ListedIn(db, seat.WorkshopId).AsNoTracking().ToListAsync();
        var ratings = new Dictionary<string, StoredRatingState>();
        var notes = new Dictionary<string, StoredRatingState>();
        int? myOutcome = null;
        var myWhy = "";
        IReadOnlyList<string> myExamples = [];
        switch (seat.Step)
        {
            case WorkshopStep.Activity2 when seat.GroupId is { } groupId:
                ratings = await db.RubricRatings.Where(r => r.RatingGroupId == groupId)
                    .Select(r => new { r.RowKey, State = new StoredRatingState(r.Level, r.Evidence, r.Version, r.UpdatedAt, db.Users.NameOf(r.UpdatedByUserId)) })
                    .AsNoTracking().ToDictionaryAsync(r => r.RowKey, r => r.State);
                break;
            case WorkshopStep.Activity1:
                var mine = await db.OutcomeReflections.Where(r => r.CycleId == seat.CycleId && r.UserId == seat.UserId).Select(r => new { r.OutcomeNumber, r.Why }).AsNoTracking().FirstOrDefaultAsync();
                myOutcome = mine?.OutcomeNumber;
                myWhy = mine?.Why ?? "";
                myExamples = await db.ConsequenceExamples.Where(e => e.CycleId == seat.CycleId && e.CreatedByUserId == seat.UserId).OrderBy(e => e.CreatedAt).Select(e => e.Description).AsNoTracking().ToListAsync();
                break;
            case WorkshopStep.Activity3:
                notes = await db.DiscussionNotes.Where(n => n.CycleId == seat.CycleId)
                    .Select(n => new { n.QuestionKey, State = new StoredRatingState(null, n.Text, n.Version, n.UpdatedAt, db.Users.NameOf(n.UpdatedByUserId)) })
                    .AsNoTracking().ToDictionaryAsync(n => n.QuestionKey, n => n.State);
                break;
        }
        return new ParticipantPage(seat, toolkit, groups, groups.FirstOrDefault(g => g.Id == seat.GroupId)?.Name, ratings, notes, myOutcome, myWhy, myExamples);
    }

    private string? SignedInName()
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null ? null : db.Users.DisplayName(userId);
    }
}
