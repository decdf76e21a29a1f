using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>
/// The building or district template page and its queries: the template controller shows it, and both the template
/// and the review controller show it again when they refuse a change.
/// </summary>
internal sealed class TemplatePage(AppDbContext db, CycleContext cycle, ToolkitDefinition toolkit, string userId)
{
    /// <summary>Given by path: two controllers render it, and views are found by controller name.</summary>
    public const string ViewName = "Template";

    /// <summary>Whether the building is the district's and the person may see its template (a building page answers 404 otherwise).</summary>
    public async Task<bool> CanSeeBuildingAsync(int buildingId) =>
        cycle.Permissions.CanViewBuildingTemplate(buildingId)
        && await db.Buildings.AnyAsync(b => b.Id == buildingId && b.DistrictId == cycle.DistrictId);

    /// <summary>The page again for a refused form: 400, each message next to its field (the refused-form filter recaps them).</summary>
    public async Task<IActionResult> RefuseFormAsync(Controller controller, int? buildingId)
    {
        controller.Response.StatusCode = StatusCodes.Status400BadRequest;
        return controller.View(ViewName, await BuildAsync(buildingId, null, []));
    }

    public async Task<IActionResult> RefuseAsync(Controller controller, int? buildingId, int status, string message, IReadOnlyList<string> missing)
    {
        controller.Response.StatusCode = status;
        controller.ModelState.AddModelError("", message);
        return controller.View(ViewName, await BuildAsync(buildingId, null, missing));
    }

    /// <param name="anyMember">The district's setting when already known (<see cref="TemplateData"/>).</param>
    public async Task<bool> MaySubmitAsync(int buildingId, bool? anyMember = null)
    {
        if (!cycle.Permissions.CanEditBuildingTemplate(buildingId)) return false;
        anyMember ??= await AnyBuildingMemberMaySubmitAsync(cycle.DistrictId);
        if (anyMember.Value) return true;
        return await db.TeamMemberships.AnyAsync(m => m.BuildingId == buildingId && m.UserId == userId && m.Role == TeamRole.BuildingLeader);
    }

    private Task<bool> AnyBuildingMemberMaySubmitAsync(int districtId) => AnyMemberMaySubmit(db, districtId);

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
                    db.Users.NameOf(x.UserId))).ToList()))
            .FirstOrDefault());

    /// <summary>Comments on the template (key: its id) and on its items (keys starting with its id and a colon).</summary>
    private static readonly Func<AppDbContext, int, string, string, IAsyncEnumerable<StoredComment>> CommentsOfTemplate = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, string templateKey, string itemKeyPrefix) => db.Comments.AsNoTracking()
            .Where(c => c.CycleId == cycleId && (c.TargetType == CommentTarget.TemplateItem || c.TargetType == CommentTarget.Template)
                && (c.TargetKey == templateKey || c.TargetKey.StartsWith(itemKeyPrefix)))
            .OrderBy(c => c.CreatedAt)
            .Select(c => new StoredComment(c.TargetKey, c.Body, c.CreatedAt, db.Users.NameOf(c.AuthorUserId))));

    internal sealed record StoredItem(int RowNumber, BalanceFunction Function, FunctionStatus? Status, string Evidence, string NextAction, string Owner, DateOnly? TargetDate);

    internal sealed record StoredTransition(TemplateState From, TemplateState To, DateTimeOffset At, string Comment, string? Who);

    internal sealed record StoredTemplate(int Id, TemplateState State, Guid Version, string BuildingsAnswer, string DistrictsAnswer, string CommonAnswer,
        IReadOnlyList<StoredItem> Items, IReadOnlyList<StoredTransition> Timeline);

    internal sealed record StoredComment(string TargetKey, string Body, DateTimeOffset CreatedAt, string? Author);

    /// <summary>
    /// What a template page reads from the database, the same for everyone who may see it. For a building, its name
    /// (null when the building is not the district's) and the district's submission setting; for the district, the roll-up.
    /// </summary>
    internal sealed record TemplateData(string? BuildingName, bool AnyBuildingMemberMaySubmit, StoredTemplate? Template,
        IReadOnlyList<StoredComment> Comments, RollupQuery.Result? Rollup);

    public async Task<TemplateData> LoadDataAsync(int? buildingId)
    {
        string? buildingName = null;
        var anyMember = false;
        if (buildingId is { } id)
        {
            buildingName = await BuildingNameInDistrict(db, id, cycle.DistrictId);
            if (buildingName is null) return new TemplateData(null, false, null, [], null);
            anyMember = await AnyBuildingMemberMaySubmitAsync(cycle.DistrictId);
        }
        var template = await TemplateOfCycle(db, cycle.CycleId, buildingId);
        var comments = template is null ? []
            : await CommentsOfTemplate(db, cycle.CycleId, template.Id.ToString(), template.Id + ":").ToListAsync();
        var rollup = buildingId is null ? await RollupQuery.LoadAsync(db, cycle.DistrictId, cycle.CycleId, toolkit, includeSubmitted: true) : null;
        return new TemplateData(buildingName, anyMember, template, comments, rollup);
    }

    /// <param name="data">Data already read by the action; read now when null.</param>
    public async Task<TemplatePageModel> BuildAsync(int? buildingId, TemplateForm? posted, IReadOnlyList<string> missing,
        Guid? currentVersion = null, TemplateData? data = null)
    {
        var slots = buildingId is null ? TemplateWorkflow.DistrictSlots(toolkit.Balance) : TemplateWorkflow.BuildingSlots(toolkit.Balance);
        data ??= await LoadDataAsync(buildingId);
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
        var canSubmit = buildingId is { } sb && editable && await MaySubmitAsync(sb, data.AnyBuildingMemberMaySubmit);
        var title = buildingId is not null ? data.BuildingName ?? "" : cycle.District.DistrictName + " (district)";
        return new TemplatePageModel(cycle, toolkit, buildingId, title, state, currentVersion ?? template?.Version, items,
            posted?.BuildingsAnswer ?? template?.BuildingsAnswer ?? "", posted?.DistrictsAnswer ?? template?.DistrictsAnswer ?? "", posted?.CommonAnswer ?? template?.CommonAnswer ?? "",
            canEdit, canSubmit, buildingId is not null && cycle.Permissions.CanReviewTemplates,
            template?.Timeline.Select(t => new TransitionView(t.From, t.To, t.Who ?? "a former member", t.At, t.Comment)).ToList() ?? [],
            comments.Where(c => template is not null && c.TargetKey == template.Id.ToString()).Select(c => new CommentView(c.Author ?? "a former member", c.CreatedAt, c.Body)).ToList(),
            missing, rollup is null ? null : $"Roll-up of {rollup.CountedTemplates} submitted or accepted building template(s)");
    }
}
