using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>Activity 3: building templates, submission and review, the district roll-up and the district template.</summary>
[Route("districts/{districtId:int}/cycles/{cycleId:int}/balance")]
public sealed class BalanceController(Notifier notifier) : DistrictControllerBase
{
    private const string TemplatePage = "~/Features/Balance/Template.cshtml";

    /// <summary>Review queue for the district side; a building member goes to their own building's template.</summary>
    [HttpGet("")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Index(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var toolkit = ToolkitOf(cycle);
        var isDistrictSide = cycle.Permissions.CanSeeDistrictReports;
        var own = cycle.Permissions.Actor.BuildingIds;
        if (!isDistrictSide && own.Count == 1) return Redirect($"/districts/{districtId}/cycles/{cycleId}/balance/buildings/{own.First()}");

        var slots = TemplateWorkflow.BuildingSlots(toolkit.Balance).Count;
        var rows = await Db.Buildings.Where(b => b.DistrictId == districtId && (isDistrictSide || own.Contains(b.Id))).OrderBy(b => b.Name)
            .Select(b => new
            {
                b.Id, b.Name,
                Template = Db.BalanceTemplates.Where(t => t.CycleId == cycleId && t.BuildingId == b.Id)
                    .Select(t => new
                    {
                        t.State, t.UpdatedAt, t.SubmittedAt,
                        Completed = t.Items.Count(i => i.Status == FunctionStatus.InPlace
                            || (i.Status != null && i.NextAction != "" && i.Owner != "")),
                    }).FirstOrDefault(),
            })
            .AsNoTracking().ToListAsync();
        return View(new QueuePageModel(cycle, rows.Select(r => new QueueRow(r.Id, r.Name,
            r.Template is null ? "Not started" : r.Template.State.DisplayName(), r.Template?.State,
            r.Template?.UpdatedAt, r.Template?.SubmittedAt, r.Template?.Completed ?? 0, slots)).ToList(), isDistrictSide));
    }

    [HttpGet("buildings/{buildingId:int}")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Building(int districtId, int cycleId, int buildingId)
    {
        var cycle = CurrentCycle;
        if (!cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        var data = await LoadTemplateDataAsync(cycle, buildingId);
        if (data.BuildingName is null) return NotFound(); // not a building of this district
        return View(TemplatePage, await BuildTemplatePageAsync(cycle, buildingId, null, [], data: data));
    }

    [HttpPost("buildings/{buildingId:int}")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> SaveBuilding(int districtId, int cycleId, int buildingId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        if (!await BuildingBelongsAsync(districtId, buildingId) || !cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        if (!cycle.Permissions.CanEditBuildingTemplate(buildingId)) return Denied();
        return await SaveAsync(cycle, buildingId, form);
    }

    [HttpGet("district")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> District(int districtId, int cycleId)
    {
        var cycle = CurrentCycle;
        var data = await LoadTemplateDataAsync(cycle, null);
        return View(TemplatePage, await BuildTemplatePageAsync(cycle, null, null, [], data: data));
    }

    [HttpPost("district")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> SaveDistrict(int districtId, int cycleId, TemplateForm form)
    {
        var cycle = CurrentCycle;
        if (!cycle.Permissions.CanEditDistrictTemplate) return Denied();
        return await SaveAsync(cycle, null, form);
    }

    [HttpPost("buildings/{buildingId:int}/submit")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Submit(int districtId, int cycleId, int buildingId, ReviewForm form)
    {
        var cycle = CurrentCycle;
        if (!await BuildingBelongsAsync(districtId, buildingId) || !cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        if (!await MaySubmitAsync(cycle, buildingId)) return Denied();
        var template = await Db.BalanceTemplates.Include(t => t.Items).SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        var toolkit = ToolkitOf(cycle);
        if (template is null)
            return await RefuseAsync(cycle, buildingId, StatusCodes.Status400BadRequest, "Fill the template before submitting it.",
                TemplateWorkflow.MissingForSubmission(toolkit.Balance, TemplateWorkflow.BuildingSlots(toolkit.Balance), []));

        var step = TemplateWorkflow.Apply(template.State, TemplateAction.Submit);
        if (!step.Allowed) return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, step.Reason!, []);
        var missing = TemplateWorkflow.MissingForSubmission(toolkit.Balance, TemplateWorkflow.BuildingSlots(toolkit.Balance),
            template.Items.Select(i => new ItemEntry(new ItemSlot(i.RowNumber, i.Function), i.Status, i.NextAction, i.Owner)));
        if (missing.Count > 0)
            return await RefuseAsync(cycle, buildingId, StatusCodes.Status400BadRequest, "The template is not complete yet. Fill these, then submit again:", missing);

        if (!await TransitionAsync(template, step.NewState!.Value, form.Version, ""))
            return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, "The template changed while you were submitting (or was already submitted). Check it and submit again if needed.", []);
        var name = await BuildingNameAsync(buildingId);
        await notifier.ToDistrictSideAsync(districtId, $"{name} submitted its Building Action Planning template for {cycle.SchoolYear}.",
            $"/districts/{districtId}/cycles/{cycleId}/balance/buildings/{buildingId}", CurrentUserId);
        TempData["Status"] = "Submitted to the district team. The template is read-only while the district reviews it.";
        return Redirect($"/districts/{districtId}/cycles/{cycleId}/balance/buildings/{buildingId}");
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
        if (!await BuildingBelongsAsync(districtId, buildingId) || !cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        if (!cycle.Permissions.CanComment) return Denied();
        var template = await Db.BalanceTemplates.SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        if (template is null) return NotFound();
        var slots = TemplateWorkflow.BuildingSlots(ToolkitOf(cycle).Balance).Select(s => $"{s.RowNumber}-{s.Function}").ToHashSet();
        if (!string.IsNullOrEmpty(form.TargetKey) && !slots.Contains(form.TargetKey))
            ModelState.AddModelError(nameof(ItemCommentForm.TargetKey), "Choose an item of this template.");
        if (!ModelState.IsValid)
            return await RefuseAsync(cycle, buildingId, StatusCodes.Status400BadRequest, string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)), []);
        Db.Comments.Add(new Comment
        {
            DistrictId = districtId, CycleId = cycleId,
            TargetType = string.IsNullOrEmpty(form.TargetKey) ? CommentTarget.Template : CommentTarget.TemplateItem,
            TargetKey = string.IsNullOrEmpty(form.TargetKey) ? template.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{template.Id}:{form.TargetKey}",
            Body = FormText.Clean(form.Body), AuthorUserId = CurrentUserId, CreatedAt = Clock.GetUtcNow(),
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = "Comment added.";
        return Redirect($"/districts/{districtId}/cycles/{cycleId}/balance/buildings/{buildingId}" + (string.IsNullOrEmpty(form.TargetKey) ? "#review" : "#item-" + form.TargetKey));
    }

    [HttpGet("rollup")]
    [CyclePage(Section = "balance")]
    public async Task<IActionResult> Rollup(int districtId, int cycleId, string? include)
    {
        var cycle = CurrentCycle;
        var includeSubmitted = include == "submitted";
        var result = await RollupQuery.LoadAsync(Db, districtId, cycleId, ToolkitOf(cycle), includeSubmitted);
        return View(new RollupPageModel(cycle, includeSubmitted, result.CountedTemplates, result.Rows, result.NotSubmitted, result.BuildingCount));
    }

    private async Task<IActionResult> ReviewAsync(int districtId, int cycleId, int buildingId, TemplateAction action, ReviewForm form)
    {
        var cycle = CurrentCycle;
        if (!await BuildingBelongsAsync(districtId, buildingId) || !cycle.Permissions.CanViewBuildingTemplate(buildingId)) return NotFound();
        if (!cycle.Permissions.CanReviewTemplates) return Denied();
        var template = await Db.BalanceTemplates.SingleOrDefaultAsync(t => t.CycleId == cycleId && t.BuildingId == buildingId);
        if (template is null) return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, "This building has not started its template.", []);
        var comment = FormText.Clean(form.Comment);
        if (!ModelState.IsValid) return await RefuseAsync(cycle, buildingId, StatusCodes.Status400BadRequest, string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)), []);
        var step = TemplateWorkflow.Apply(template.State, action, comment);
        if (!step.Allowed) return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, step.Reason!, []);
        if (!await TransitionAsync(template, step.NewState!.Value, form.Version, comment))
            return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, "The template changed while you were reviewing it. Look at the current version and decide again.", []);
        var name = await BuildingNameAsync(buildingId);
        var verb = action == TemplateAction.Accept ? "accepted" : "returned";
        await notifier.ToBuildingTeamAsync(districtId, buildingId,
            $"The district team {verb} the {name} template for {cycle.SchoolYear}" + (comment.Length > 0 ? $": “{Shorten(comment)}”" : "."),
            $"/districts/{districtId}/cycles/{cycleId}/balance/buildings/{buildingId}", CurrentUserId);
        TempData["Status"] = action == TemplateAction.Accept ? $"{name}'s template is accepted." : $"{name}'s template was returned to the building with your comment.";
        // The desk's queue posts here too, so both places share one review workflow; a fixed value, never a URL.
        if (form.ReturnTo == "desk") return Redirect("/desk#queue");
        return Redirect($"/districts/{districtId}/cycles/{cycleId}/balance");
    }

    /// <summary>Moves the template and records who did it; false when the version the person saw is no longer current.</summary>
    private async Task<bool> TransitionAsync(BalanceTemplate template, TemplateState to, Guid? seenVersion, string comment)
    {
        if (seenVersion is { } version) Db.Entry(template).Property(t => t.Version).OriginalValue = version;
        var now = Clock.GetUtcNow();
        template.Transitions.Add(new TemplateTransition { DistrictId = template.DistrictId, From = template.State, To = to, UserId = CurrentUserId, At = now, Comment = comment });
        template.State = to;
        template.UpdatedAt = now;
        if (to == TemplateState.Submitted) template.SubmittedAt = now;
        if (to is TemplateState.Accepted or TemplateState.Returned) template.DecidedAt = now;
        try
        {
            await Db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            Db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<IActionResult> SaveAsync(CycleContext cycle, int? buildingId, TemplateForm form)
    {
        var toolkit = ToolkitOf(cycle);
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(toolkit.Balance) : TemplateWorkflow.BuildingSlots(toolkit.Balance);
        var wantsJson = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        var posted = form.Items.Where(i => slots.Contains(new ItemSlot(i.RowNumber, i.Function))).GroupBy(i => new ItemSlot(i.RowNumber, i.Function))
            .ToDictionary(g => g.Key, g => g.Last());
        if (!ModelState.IsValid)
        {
            if (wantsJson) return BadRequest(new { errors = ModelState.Where(e => e.Value!.Errors.Count > 0).ToDictionary(e => e.Key, e => e.Value!.Errors.Select(x => x.ErrorMessage)) });
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(TemplatePage, await BuildTemplatePageAsync(cycle, buildingId, form, []));
        }

        var template = await Db.BalanceTemplates.Include(t => t.Items)
            .Where(t => t.CycleId == cycle.CycleId && t.BuildingId == buildingId).OrderBy(t => t.Id).FirstOrDefaultAsync();
        var now = Clock.GetUtcNow();
        if (template is null)
        {
            template = new BalanceTemplate { DistrictId = cycle.DistrictId, CycleId = cycle.CycleId, BuildingId = buildingId, CreatedAt = now };
            Db.BalanceTemplates.Add(template);
        }
        else
        {
            if (!TemplateWorkflow.IsEditable(template.State))
            {
                const string readOnly = "This template has been submitted, so it is read-only. The district team can return it for changes.";
                if (wantsJson) return StatusCode(StatusCodes.Status409Conflict, new { locked = true, message = readOnly });
                return await RefuseAsync(cycle, buildingId, StatusCodes.Status409Conflict, readOnly, []);
            }
            if (form.Version != template.Version)
            {
                const string stale = "Someone else saved this template while you were editing. Your entries are still in the form; review the current version shown in the timeline and save again to keep yours.";
                if (wantsJson) return StatusCode(StatusCodes.Status409Conflict, new { conflict = true, message = stale, version = template.Version });
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError("", stale);
                return View(TemplatePage, await BuildTemplatePageAsync(cycle, buildingId, form, [], template.Version));
            }
            Db.Entry(template).Property(t => t.Version).OriginalValue = form.Version!.Value;
        }

        foreach (var slot in slots)
        {
            if (!posted.TryGetValue(slot, out var input)) continue;
            var item = template.Items.FirstOrDefault(i => i.RowNumber == slot.RowNumber && i.Function == slot.Function);
            if (item is null)
            {
                item = new BalanceTemplateItem { DistrictId = cycle.DistrictId, RowNumber = slot.RowNumber, Function = slot.Function };
                template.Items.Add(item);
            }
            item.Status = input.Status;
            item.Evidence = FormText.Clean(input.Evidence);
            item.NextAction = FormText.Clean(input.NextAction);
            item.Owner = FormText.Clean(input.Owner);
            item.TargetDate = input.TargetDate;
        }
        template.BuildingsAnswer = FormText.Clean(form.BuildingsAnswer);
        template.DistrictsAnswer = FormText.Clean(form.DistrictsAnswer);
        template.CommonAnswer = FormText.Clean(form.CommonAnswer);
        template.UpdatedAt = now;
        try
        {
            await Db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            Db.ChangeTracker.Clear();
            const string raced = "Someone else saved this template at the same moment. Reload to see their version; your entries are still in the form.";
            var current = await Db.BalanceTemplates.Where(t => t.CycleId == cycle.CycleId && t.BuildingId == buildingId)
                .OrderBy(t => t.Id).Select(t => (Guid?)t.Version).FirstOrDefaultAsync();
            if (wantsJson) return StatusCode(StatusCodes.Status409Conflict, new { conflict = true, message = raced, version = current });
            Response.StatusCode = StatusCodes.Status409Conflict;
            ModelState.AddModelError("", raced);
            return View(TemplatePage, await BuildTemplatePageAsync(cycle, buildingId, form, []));
        }
        var completed = template.Items.Count(i => TemplateWorkflow.IsComplete(new ItemEntry(new ItemSlot(i.RowNumber, i.Function), i.Status, i.NextAction, i.Owner)));
        if (wantsJson)
            return Json(new { saved = true, version = template.Version, savedAt = TimeZones.Format(now, cycle.District.TimeZone), completed, total = slots.Count });
        TempData["Status"] = $"Saved. {completed} of {slots.Count} functions completed.";
        return Redirect(buildingId is { } b
            ? $"/districts/{cycle.DistrictId}/cycles/{cycle.CycleId}/balance/buildings/{b}"
            : $"/districts/{cycle.DistrictId}/cycles/{cycle.CycleId}/balance/district");
    }

    private async Task<IActionResult> RefuseAsync(CycleContext cycle, int? buildingId, int status, string message, IReadOnlyList<string> missing)
    {
        Response.StatusCode = status;
        ModelState.AddModelError("", message);
        return View(TemplatePage, await BuildTemplatePageAsync(cycle, buildingId, null, missing));
    }

    /// <param name="anyMember">The district's setting when already known (<see cref="TemplateData"/>).</param>
    private async Task<bool> MaySubmitAsync(CycleContext cycle, int buildingId, bool? anyMember = null)
    {
        if (!cycle.Permissions.CanEditBuildingTemplate(buildingId)) return false;
        anyMember ??= await AnyBuildingMemberMaySubmitAsync(cycle.DistrictId);
        if (anyMember.Value) return true;
        var userId = CurrentUserId;
        return await Db.TeamMemberships.AnyAsync(m => m.BuildingId == buildingId && m.UserId == userId && m.Role == TeamRole.BuildingLeader);
    }

    private Task<bool> AnyBuildingMemberMaySubmitAsync(int districtId) => AnyMemberMaySubmit(Db, districtId);

    // The template page's queries are compiled once: after every change to a template (its autosave included) the
    // page reads them again, and translating these trees anew was a fifth of the page's time.
    private static readonly Func<AppDbContext, int, Task<bool>> AnyMemberMaySubmit = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId) => db.Districts.Where(d => d.Id == districtId).Select(d => d.AnyBuildingMemberMaySubmit).Single());

    private static readonly Func<AppDbContext, int, int, Task<string?>> BuildingNameInDistrict = EF.CompileAsyncQuery(
        (AppDbContext db, int buildingId, int districtId) =>
            db.Buildings.Where(b => b.Id == buildingId && b.DistrictId == districtId).Select(b => b.Name).FirstOrDefault());

    private static readonly Func<AppDbContext, int, int?, Task<StoredTemplate?>> TemplateOfCycle = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, int? buildingId) => db.BalanceTemplates.AsNoTracking()
            .Where(t => t.CycleId == cycleId && t.BuildingId == buildingId).OrderBy(t => t.Id)
            .Select(t => new StoredTemplate(t.Id, t.State, t.Version, t.BuildingsAnswer, t.DistrictsAnswer, t.CommonAnswer,
                t.Items.Select(i => new StoredItem(i.RowNumber, i.Function, i.Status, i.Evidence, i.NextAction, i.Owner, i.TargetDate)).ToList(),
                t.Transitions.OrderBy(x => x.At).Select(x => new StoredTransition(x.From, x.To, x.At, x.Comment,
                    db.Users.Where(u => u.Id == x.UserId).Select(u => u.DisplayName).FirstOrDefault())).ToList()))
            .FirstOrDefault());

    /// <summary>Comments on the template (key: its id) and on its items (keys starting with its id and a colon).</summary>
    private static readonly Func<AppDbContext, int, string, string, IAsyncEnumerable<StoredComment>> CommentsOfTemplate = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, string templateKey, string itemKeyPrefix) => db.Comments.AsNoTracking()
            .Where(c => c.CycleId == cycleId && (c.TargetType == CommentTarget.TemplateItem || c.TargetType == CommentTarget.Template)
                && (c.TargetKey == templateKey || c.TargetKey.StartsWith(itemKeyPrefix)))
            .OrderBy(c => c.CreatedAt)
            .Select(c => new StoredComment(c.TargetKey, c.Body, c.CreatedAt, db.Users.Where(u => u.Id == c.AuthorUserId).Select(u => u.DisplayName).FirstOrDefault())));

    private Task<bool> BuildingBelongsAsync(int districtId, int buildingId) =>
        Db.Buildings.AnyAsync(b => b.Id == buildingId && b.DistrictId == districtId);

    private Task<string> BuildingNameAsync(int buildingId) =>
        Db.Buildings.Where(b => b.Id == buildingId).Select(b => b.Name).SingleAsync();

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..139] + "…";

    private sealed record StoredItem(int RowNumber, BalanceFunction Function, FunctionStatus? Status, string Evidence, string NextAction, string Owner, DateOnly? TargetDate);

    private sealed record StoredTransition(TemplateState From, TemplateState To, DateTimeOffset At, string Comment, string? Who);

    private sealed record StoredTemplate(int Id, TemplateState State, Guid Version, string BuildingsAnswer, string DistrictsAnswer, string CommonAnswer,
        IReadOnlyList<StoredItem> Items, IReadOnlyList<StoredTransition> Timeline);

    private sealed record StoredComment(string TargetKey, string Body, DateTimeOffset CreatedAt, string? Author);

    /// <summary>
    /// What a template page reads from the database, the same for everyone who may see it. For a building, its name
    /// (null when the building is not the district's) and the district's submission setting; for the district, the roll-up.
    /// </summary>
    private sealed record TemplateData(string? BuildingName, bool AnyBuildingMemberMaySubmit, StoredTemplate? Template,
        IReadOnlyList<StoredComment> Comments, RollupQuery.Result? Rollup);

    private async Task<TemplateData> LoadTemplateDataAsync(CycleContext cycle, int? buildingId)
    {
        var toolkit = ToolkitOf(cycle);
        string? buildingName = null;
        var anyMember = false;
        if (buildingId is { } id)
        {
            buildingName = await BuildingNameInDistrict(Db, id, cycle.DistrictId);
            if (buildingName is null) return new TemplateData(null, false, null, [], null);
            anyMember = await AnyBuildingMemberMaySubmitAsync(cycle.DistrictId);
        }
        var template = await TemplateOfCycle(Db, cycle.CycleId, buildingId);
        var comments = template is null ? []
            : await CommentsOfTemplate(Db, cycle.CycleId, template.Id.ToString(), template.Id + ":").ToListAsync();
        var rollup = buildingId is null ? await RollupQuery.LoadAsync(Db, cycle.DistrictId, cycle.CycleId, toolkit, includeSubmitted: true) : null;
        return new TemplateData(buildingName, anyMember, template, comments, rollup);
    }

    /// <param name="data">Data already read by the action; read now when null.</param>
    private async Task<TemplatePageModel> BuildTemplatePageAsync(CycleContext cycle, int? buildingId, TemplateForm? posted, IReadOnlyList<string> missing,
        Guid? currentVersion = null, TemplateData? data = null)
    {
        var toolkit = ToolkitOf(cycle);
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(toolkit.Balance) : TemplateWorkflow.BuildingSlots(toolkit.Balance);
        data ??= await LoadTemplateDataAsync(cycle, buildingId);
        var template = data.Template;
        var comments = data.Comments;
        var rollup = data.Rollup;

        var items = slots.Select(slot =>
        {
            var row = toolkit.Balance.Rows.First(r => r.Number == slot.RowNumber);
            var stored = template?.Items.FirstOrDefault(i => i.RowNumber == slot.RowNumber && i.Function == slot.Function);
            var input = posted?.Items.LastOrDefault(i => i.RowNumber == slot.RowNumber && i.Function == slot.Function);
            var key = $"{slot.RowNumber}-{slot.Function}";
            var itemComments = comments.Where(c => template is not null && c.TargetKey == $"{template.Id}:{key}")
                .Select(c => new CommentView(c.Author ?? "a former member", c.CreatedAt, c.Body)).ToList();
            return input is not null
                ? new ItemView(slot, row, row.TextFor(slot.Function), input.Status, input.Evidence ?? "", input.NextAction ?? "", input.Owner ?? "", input.TargetDate, itemComments,
                    rollup?.Rows.First(r => r.Row.Number == slot.RowNumber).Counts)
                : new ItemView(slot, row, row.TextFor(slot.Function), stored?.Status, stored?.Evidence ?? "", stored?.NextAction ?? "", stored?.Owner ?? "", stored?.TargetDate, itemComments,
                    rollup?.Rows.First(r => r.Row.Number == slot.RowNumber).Counts);
        }).ToList();

        var state = template?.State;
        var editable = state is null || TemplateWorkflow.IsEditable(state.Value);
        var canEdit = editable && (buildingId is { } b ? cycle.Permissions.CanEditBuildingTemplate(b) : cycle.Permissions.CanEditDistrictTemplate);
        var canSubmit = buildingId is { } sb && editable && await MaySubmitAsync(cycle, sb, data.AnyBuildingMemberMaySubmit);
        var title = buildingId is not null ? data.BuildingName ?? "" : cycle.District.DistrictName + " (district)";
        return new TemplatePageModel(cycle, toolkit, buildingId, title, state, currentVersion ?? template?.Version, items,
            posted?.BuildingsAnswer ?? template?.BuildingsAnswer ?? "", posted?.DistrictsAnswer ?? template?.DistrictsAnswer ?? "", posted?.CommonAnswer ?? template?.CommonAnswer ?? "",
            canEdit, canSubmit, buildingId is not null && cycle.Permissions.CanReviewTemplates,
            template?.Timeline.Select(t => new TransitionView(t.From, t.To, t.Who ?? "a former member", t.At, t.Comment)).ToList() ?? [],
            comments.Where(c => template is not null && c.TargetKey == template.Id.ToString()).Select(c => new CommentView(c.Author ?? "a former member", c.CreatedAt, c.Body)).ToList(),
            missing, rollup is null ? null : $"Roll-up of {rollup.CountedTemplates} submitted or accepted building template(s)");
    }
}
