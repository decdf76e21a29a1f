using System.Runtime.CompilerServices;
using MicipPlanner.Domain.Plan;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Data.Interceptors;

/// <summary>
/// Raises <see cref="AppDbContext.ChartVersion"/> of every measure whose district-wide run chart a save changes, in the
/// same transaction: one of its values, interim targets or phase changes is added, changed or removed. Every measure of
/// the same line (a measure carried into later years shares its history) is raised with it, since its chart shows the
/// earlier years' values first. Other saves (check-ins, activities, a measure's own fields, which renew its version)
/// leave it alone, so the charts kept for the meeting page survive them.
/// </summary>
public sealed class ChartVersionInterceptor : RaiseAfterSaveInterceptor
{
    protected override void BeforeSave(DbContextEventData eventData)
    {
        if (SaveWork.Starting(eventData) is not { } work) return;
        var measures = new HashSet<int>();
        foreach (var entry in eventData.Context!.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            switch (entry.Entity)
            {
                case PlanMeasureValue value:
                    measures.Add(value.MeasureId);
                    break;
                case PlanMeasureTarget target:
                    measures.Add(target.MeasureId);
                    break;
                case PlanMeasurePhase phase:
                    measures.Add(phase.MeasureId);
                    break;
            }
        }
        work.ChartMeasures = measures;
    }

    // SQL Server takes at most 2,100 parameters in a command; a bulk save (an import) may touch more measures.
    private const int MeasuresPerCommand = 500;

    // One command for the save's measures (a report accepted copies values into several): the measures of the lines they
    // belong to, a line being keyed by its first measure. Names quoted as standard SQL does (PostgreSQL folds them).
    private protected override IEnumerable<FormattableString> AfterSave(SaveWork work) =>
        work.ChartMeasures.Order().Chunk(MeasuresPerCommand).Select(ids => FormattableStringFactory.Create(
            $"""UPDATE "PlanMeasures" SET "ChartVersion" = "ChartVersion" + 1 WHERE COALESCE("HistoryMeasureId", "Id") IN (SELECT COALESCE("HistoryMeasureId", "Id") FROM "PlanMeasures" WHERE "Id" IN ({string.Join(", ", ids.Select((_, i) => $"{{{i}}}"))}))""",
            ids.Cast<object>().ToArray()));
}
