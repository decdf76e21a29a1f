using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>The district roll-up of the buildings' templates for one cycle (used by the roll-up page, the district template and the report).</summary>
public static class RollupQuery
{
    public sealed record Result(int CountedTemplates, IReadOnlyList<RollupLine> Rows, IReadOnlyList<string> NotSubmitted, int BuildingCount);

    public static async Task<Result> LoadAsync(AppDbContext db, int districtId, int cycleId, ToolkitDefinition toolkit, bool includeSubmitted, CancellationToken cancellationToken = default)
    {
        var counted = includeSubmitted ? CountedWithSubmitted : CountedAcceptedOnly;
        var buildings = await BuildingsWithState(db, districtId, cycleId).ToListAsync(cancellationToken);
        var items = await ItemsOfCountedTemplates(db, cycleId, counted).ToListAsync(cancellationToken);
        var templates = buildings.Count(b => b.State is { } s && counted.Contains(s));
        var counts = BalanceRollup.Count(toolkit.Balance.Rows.Select(r => r.Number), items.Select(i => (i.RowNumber, i.Status)), templates);
        var rows = toolkit.Balance.Rows.Select((row, index) => new RollupLine(row, counts[index],
            items.Where(i => i.RowNumber == row.Number && !string.IsNullOrWhiteSpace(i.NextAction))
                .OrderBy(i => i.Building).Select(i => (i.Building ?? "", i.NextAction)).ToList())).ToList();
        var notSubmitted = buildings.Where(b => b.State is null or TemplateState.Draft or TemplateState.Returned).Select(b => b.Name).ToList();
        return new Result(templates, rows, notSubmitted, buildings.Count);
    }

    private static readonly TemplateState[] CountedWithSubmitted = [TemplateState.Accepted, TemplateState.Submitted];
    private static readonly TemplateState[] CountedAcceptedOnly = [TemplateState.Accepted];

    private sealed record BuildingState(int Id, string Name, TemplateState? State);

    private sealed record CountedItem(int RowNumber, FunctionStatus? Status, string NextAction, string? Building);

    // Compiled once: the roll-up, the district template and the report read them after every change to a template.
    private static readonly Func<AppDbContext, int, int, IAsyncEnumerable<BuildingState>> BuildingsWithState = EF.CompileAsyncQuery(
        (AppDbContext db, int districtId, int cycleId) => db.Buildings.AsNoTracking().Where(b => b.DistrictId == districtId).OrderBy(b => b.Name)
            .Select(b => new BuildingState(b.Id, b.Name,
                db.BalanceTemplates.Where(t => t.CycleId == cycleId && t.BuildingId == b.Id).Select(t => (TemplateState?)t.State).FirstOrDefault())));

    // Start from the cycle's templates (indexed by cycle) and join their items: filtering the items table
    // with a correlated EXISTS would read every item of every district.
    private static readonly Func<AppDbContext, int, TemplateState[], IAsyncEnumerable<CountedItem>> ItemsOfCountedTemplates = EF.CompileAsyncQuery(
        (AppDbContext db, int cycleId, TemplateState[] counted) =>
            from t in db.BalanceTemplates.AsNoTracking()
            where t.CycleId == cycleId && t.BuildingId != null && counted.Contains(t.State)
            join b in db.Buildings on t.BuildingId equals b.Id
            from i in t.Items
            select new CountedItem(i.RowNumber, i.Status, i.NextAction, b.Name));
}
