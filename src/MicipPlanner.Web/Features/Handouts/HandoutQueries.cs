using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Balance;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Handouts;

/// <summary>Loads what the filled handouts and the report print for one district cycle.</summary>
public static class HandoutQueries
{
    public static async Task<Activity1Data> Activity1Async(AppDbContext db, int cycleId, ToolkitDefinition toolkit, CancellationToken ct)
    {
        var examples = await db.ConsequenceExamples.Where(e => e.CycleId == cycleId).OrderBy(e => e.CreatedAt)
            .Select(e => new { e.ConsequenceKey, e.Description }).AsNoTracking().ToListAsync(ct);
        var reflections = await db.OutcomeReflections.Where(r => r.CycleId == cycleId).OrderBy(r => r.OutcomeNumber)
            .Select(r => new { r.OutcomeNumber, r.Why, Who = db.Users.NameOf(r.UserId) })
            .AsNoTracking().ToListAsync(ct);
        return new Activity1Data(
            toolkit.Importance.UnintendedConsequences.Select(c => (c, (IReadOnlyList<string>)examples.Where(e => e.ConsequenceKey == c.Key).Select(e => e.Description).ToList())).ToList(),
            reflections.Select(r => (r.OutcomeNumber, r.Who ?? "A former member", r.Why)).ToList());
    }

    public static async Task<RubricData> RubricAsync(AppDbContext db, int cycleId, ToolkitDefinition toolkit, CancellationToken ct)
    {
        var groups = await db.RatingGroups.Where(g => g.CycleId == cycleId).OrderBy(g => g.SortOrder).ThenBy(g => g.Name)
            .Select(g => new { g.Id, g.Name }).AsNoTracking().ToListAsync(ct);
        var ratings = await db.RubricRatings.Where(r => r.CycleId == cycleId)
            .Select(r => new { r.RatingGroupId, r.RowKey, r.Level, r.Evidence }).AsNoTracking().ToListAsync(ct);
        var consensus = await db.ConsensusRatings.Where(c => c.CycleId == cycleId)
            .Select(c => new { c.RowKey, c.Level, c.Rationale }).AsNoTracking().ToListAsync(ct);
        var notes = await db.DiscussionNotes.Where(n => n.CycleId == cycleId).Select(n => new { n.QuestionKey, n.Text }).AsNoTracking().ToListAsync(ct);
        var finalized = await db.Cycles.Where(c => c.Id == cycleId).Select(c => c.RubricFinalizedAt != null).SingleAsync(ct);

        // Groups that rated nothing (e.g. the whole team when the team split up) would only add empty columns.
        var active = groups.Where(g => ratings.Any(r => r.RatingGroupId == g.Id)).ToList();
        var rows = toolkit.Rubric.Rows.Select(row =>
        {
            var c = consensus.FirstOrDefault(x => x.RowKey == row.Key);
            var perGroup = active.Select(g =>
            {
                var r = ratings.FirstOrDefault(x => x.RatingGroupId == g.Id && x.RowKey == row.Key);
                return new GroupRating(g.Name, RubricLevels.IsValid(r?.Level) ? r!.Level : null, r?.Evidence ?? "");
            }).ToList();
            return new RubricRowData(row, RubricLevels.IsValid(c?.Level) ? c!.Level : null, c?.Rationale ?? "", perGroup);
        }).ToList();
        var discussion = toolkit.Rubric.DiscussionQuestions
            .Select(q => (q, notes.FirstOrDefault(n => n.QuestionKey == q.Key)?.Text ?? "")).ToList();
        return new RubricData(rows, active.Select(g => g.Name).ToList(), discussion, finalized);
    }

    /// <summary>Building templates of the cycle for the given buildings (in name order), blank where not started.</summary>
    public static async Task<BuildingTemplatesData> BuildingTemplatesAsync(AppDbContext db, int cycleId, IReadOnlyCollection<int> buildingIds, ToolkitDefinition toolkit, CancellationToken ct)
    {
        var buildings = await db.Buildings.Where(b => buildingIds.Contains(b.Id)).OrderBy(b => b.Name)
            .Select(b => new { b.Id, b.Name }).AsNoTracking().ToListAsync(ct);
        var templates = await LoadTemplatesAsync(db, cycleId, buildingIds.Select(i => (int?)i).ToList(), ct);
        var slots = TemplateWorkflow.BuildingSlots(toolkit.Balance);
        return new BuildingTemplatesData(buildings.Select(b => ToTemplate(b.Name, templates.FirstOrDefault(t => t.BuildingId == b.Id), slots, toolkit, null)).ToList());
    }

    public static async Task<DistrictTemplateData> DistrictTemplateAsync(AppDbContext db, int districtId, int cycleId, string districtName, ToolkitDefinition toolkit, CancellationToken ct)
    {
        var templates = await LoadTemplatesAsync(db, cycleId, [null], ct);
        var rollup = await RollupQuery.LoadAsync(db, districtId, cycleId, toolkit, includeSubmitted: true, ct);
        var template = ToTemplate(districtName, templates.FirstOrDefault(), TemplateWorkflow.DistrictSlots(toolkit.Balance), toolkit, rollup);
        return new DistrictTemplateData(template, rollup);
    }

    public static async Task<BalanceAnswers> DistrictAnswersAsync(AppDbContext db, int cycleId, CancellationToken ct)
    {
        var t = await db.BalanceTemplates.Where(x => x.CycleId == cycleId && x.BuildingId == null).OrderBy(x => x.Id)
            .Select(x => new { x.BuildingsAnswer, x.DistrictsAnswer, x.CommonAnswer }).AsNoTracking().FirstOrDefaultAsync(ct);
        return new BalanceAnswers(t?.BuildingsAnswer ?? "", t?.DistrictsAnswer ?? "", t?.CommonAnswer ?? "");
    }

    public static async Task<ReportData> ReportAsync(AppDbContext db, ToolkitCatalog catalog, int districtId, int cycleId, ToolkitDefinition toolkit, DateOnly today, CancellationToken ct)
    {
        var rubric = await RubricAsync(db, cycleId, toolkit, ct);
        var cycles = await db.Cycles.Where(c => c.DistrictId == districtId).OrderBy(c => c.StartYear)
            .Select(c => new { c.Id, c.StartYear }).AsNoTracking().ToListAsync(ct);
        var ids = cycles.Select(c => c.Id).ToList();
        var consensus = await db.ConsensusRatings.Where(c => ids.Contains(c.CycleId)).Select(c => new { c.CycleId, c.RowKey, c.Level }).AsNoTracking().ToListAsync(ct);
        var trend = new TrendData(cycles.Select(c => SchoolYears.Format(c.StartYear)).ToList(),
            toolkit.Rubric.Rows.Select(r => (r.Label, (IReadOnlyList<int?>)cycles.Select(c => consensus.FirstOrDefault(x => x.CycleId == c.Id && x.RowKey == r.Key)?.Level).ToList())).ToList());
        var rollup = await RollupQuery.LoadAsync(db, districtId, cycleId, toolkit, includeSubmitted: true, ct);
        var actions = await db.ActionItems.Where(a => a.CycleId == cycleId && a.Status != ActionStatus.Done).OrderBy(a => a.DueDate == null).ThenBy(a => a.DueDate).ThenBy(a => a.Title)
            .Select(a => new { a.Title, a.DueDate, a.Status, Owner = db.Users.NameOf(a.OwnerUserId) })
            .AsNoTracking().ToListAsync(ct);
        return new ReportData(rubric, trend, rollup,
            actions.Select(a => new ActionLine(a.Title, a.Owner ?? "", a.DueDate, a.Status, a.DueDate is { } d && d < today)).ToList());
    }

    public static async Task<FilledHeader> HeaderAsync(AppDbContext db, Districts.Access.CycleContext cycle, TimeProvider clock, CancellationToken ct)
    {
        var facilitators = await db.FacilitatorAssignments.Where(f => f.DistrictId == cycle.DistrictId)
            .Select(f => db.Users.NameOf(f.UserId))
            .ToListAsync(ct);
        var today = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), cycle.District.TimeZone);
        return new FilledHeader(cycle.DistrictId, cycle.CycleId, cycle.District.DistrictName, cycle.SchoolYear,
            facilitators.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Order().ToList(), today.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TemplateData BlankTemplate(string name, IReadOnlyList<ItemSlot> slots, ToolkitDefinition toolkit) =>
        ToTemplate(name, null, slots, toolkit, null);

    private sealed record StoredTemplate(int? BuildingId, TemplateState State, string BuildingsAnswer, string DistrictsAnswer, string CommonAnswer,
        List<BalanceTemplateItem> Items);

    private static async Task<List<StoredTemplate>> LoadTemplatesAsync(AppDbContext db, int cycleId, IReadOnlyCollection<int?> buildingIds, CancellationToken ct)
    {
        var wantsDistrict = buildingIds.Contains(null);
        var ids = buildingIds.Where(i => i is not null).ToList();
        return await db.BalanceTemplates
            .Where(t => t.CycleId == cycleId && ((wantsDistrict && t.BuildingId == null) || ids.Contains(t.BuildingId)))
            .OrderBy(t => t.Id)
            .Select(t => new StoredTemplate(t.BuildingId, t.State, t.BuildingsAnswer, t.DistrictsAnswer, t.CommonAnswer, t.Items.ToList()))
            .AsNoTracking().ToListAsync(ct);
    }

    private static TemplateData ToTemplate(string name, StoredTemplate? stored, IReadOnlyList<ItemSlot> slots, ToolkitDefinition toolkit, RollupQuery.Result? rollup)
    {
        var items = slots.Select(slot =>
        {
            var row = toolkit.Balance.Rows.First(r => r.Number == slot.RowNumber);
            var item = stored?.Items.FirstOrDefault(i => i.RowNumber == slot.RowNumber && i.Function == slot.Function);
            return new TemplateItemData(row, slot.Function, row.TextFor(slot.Function), item?.Status, item?.Evidence ?? "", item?.NextAction ?? "",
                item?.Owner ?? "", item?.TargetDate, rollup?.Rows.FirstOrDefault(r => r.Row.Number == slot.RowNumber)?.Counts);
        }).ToList();
        return new TemplateData(name, stored?.State, items,
            new BalanceAnswers(stored?.BuildingsAnswer ?? "", stored?.DistrictsAnswer ?? "", stored?.CommonAnswer ?? ""));
    }
}
