using System.Globalization;
using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Plan;

/// <summary>The target check of a measure in one sentence, e.g. "Latest 62% (Nov 30, 2026): below the interim target 65% due 2026-11-30."</summary>
public static class MeasureTargetSentence
{
    public static string Of(MeasureTargetCheck check, MeasureUnit unit, BetterDirection better, bool hasBuildingValues)
    {
        string V(decimal value) => MeasureRules.Format(value, unit);
        static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var shortOf = better == BetterDirection.Higher ? "below" : "above";

        if (check.Latest is not { } latest)
        {
            return hasBuildingValues
                ? "No district-wide value yet: the targets are checked against district-wide values; the buildings' values are charted below."
                : "No values yet: record the first value to start the run chart.";
        }
        var parts = new List<string>();
        if (check.LastDueInterimTarget is { } interim)
        {
            parts.Add(check.MeetsLastDueInterimTarget == true
                ? $"meets the interim target {V(interim.Value)} due {D(interim.Date)}"
                : $"{shortOf} the interim target {V(interim.Value)} due {D(interim.Date)}");
        }
        if (check.EndTarget is { } end)
        {
            parts.Add(check.IsEndTargetDue
                ? (check.MeetsEndTarget == true ? $"meets the end target {V(end.Value)} due {D(end.Date)}" : $"missed the end target {V(end.Value)} due {D(end.Date)}")
                : $"end target {V(end.Value)} by {D(end.Date)}");
        }
        var said = parts.Count == 0 ? "no target due yet" : string.Join("; ", parts);
        return $"Latest {V(latest.Value)} ({D(latest.Date)}): {said}.";
    }
}
