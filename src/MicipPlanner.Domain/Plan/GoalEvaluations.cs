using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>MICIP's decision on a goal at the end of the year.</summary>
public enum EvaluationDecision
{
    /// <summary>Keep the goal as it is: it goes on into next year's plan.</summary>
    Maintain = 0,

    /// <summary>Keep the goal but change it: it goes on into next year's plan, to be reworked there.</summary>
    Revise = 1,

    /// <summary>Stop working on it (strategic abandonment): it stays in this year's record.</summary>
    Discontinue = 2,

    /// <summary>The goal is reached or no longer needed: it stays in this year's record.</summary>
    Archive = 3,
}

/// <summary>
/// The team's year-end evaluation of one goal: the four MICIP Evaluate questions, each answered in the team's words
/// (pre-filled from <see cref="GoalEvaluationFigures"/>), the money used, and the decision with its rationale.
/// </summary>
public class GoalEvaluation : Entity, IDistrictOwned
{
    public const int TextMaxLength = 4000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int GoalId { get; set; }
    public string Readiness { get; set; } = "";
    public string Fidelity { get; set; } = "";
    public string ScaleAndReach { get; set; } = "";
    public string Impact { get; set; } = "";

    /// <summary>What the goal's strategies spent this year; the plan stores only the planned amounts.</summary>
    public decimal? AmountUsed { get; set; }
    public EvaluationDecision? Decision { get; set; }
    public string Rationale { get; set; } = "";
    public string UpdatedByUserId { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An activity as the evaluation counts it: its dates and the people and buildings in it.</summary>
public sealed record EvaluatedActivity(int Id, ActivityDates Dates, string? OwnerUserId, bool AllBuildings, IReadOnlyCollection<int> BuildingIds);

/// <summary>A building's latest accepted monitoring report's judgment of an activity.</summary>
public sealed record ReportedActivity(int ActivityId, int BuildingId, TeamJudgment? Judgment);

/// <summary>An end target measure of the goal with its district-wide values and the dates its phases changed.</summary>
public sealed record EvaluatedMeasure(string Name, MeasureUnit Unit, BetterDirection Better, MeasureTarget? EndTarget, IReadOnlyList<MeasurePoint> Values,
    IReadOnlyList<DateOnly> ChangeDates);

/// <summary>A rubric row of the goal with the team's consensus level last year and this year (null where none was recorded).</summary>
public sealed record RubricRowMovement(string Label, int? LastYear, int? ThisYear)
{
    public int? Change => LastYear is { } before && ThisYear is { } now ? now - before : null;
}

/// <summary>Readiness and capacity: the people and money planned and used.</summary>
public sealed record ReadinessFigures(int PeopleNamed, int PeopleWhoCheckedIn, decimal PlannedAmount, decimal? AmountUsed, IReadOnlyList<string> FundingSources);

/// <summary>Fidelity: the activities done on time, done late, not done (due and missed), and still open (not due yet).</summary>
public sealed record FidelityFigures(int OnTime, int Late, int NotDone, int StillOpen)
{
    public int Total => OnTime + Late + NotDone + StillOpen;
}

/// <summary>Scale and reach: the buildings involved in the goal's activities and those whose reports show them in place.</summary>
public sealed record ReachFigures(int BuildingsInvolved, int BuildingsInPlace);

/// <summary>Impact: one end target measure's year.</summary>
/// <param name="MetEndTarget">Null when the measure has no end target or no value by the evaluation date.</param>
/// <param name="Signal">Whether the run chart shows a signal (a shift or trend by the Anhøj rules) and which way.</param>
public sealed record MeasureImpact(string Name, MeasureUnit Unit, MeasureTarget? EndTarget, MeasurePoint? Latest, bool? MetEndTarget, MeasureSignal Signal);

public enum MeasureSignal
{
    TooFewPoints,
    NoSignal,
    Better,
    Worse,
    Signal,
}

/// <summary>The year's figures for one goal, as the evaluation page pre-fills its four questions with them.</summary>
public sealed record GoalEvaluationFigures(ReadinessFigures Readiness, FidelityFigures Fidelity, ReachFigures Reach, IReadOnlyList<MeasureImpact> Measures,
    IReadOnlyList<RubricRowMovement> Rows);

/// <summary>
/// Derives a goal's year from what the plan recorded, as of a date (the district's today, but never after the school
/// year's end, 30 June). The boundaries:
/// <list type="bullet">
/// <item>Fidelity: done on or before its due date is on time (the due day itself counts); done after it is late; with no
/// due date a done activity counts as on time. An activity not done by the evaluation date is not done when its due date
/// has passed (due on the evaluation date is still open) or it has none, and still open otherwise. A done date after
/// the evaluation date has not happened yet and counts as not done.</item>
/// <item>People: those named as owners of the goal's activities, against those who recorded a check-in on them.</item>
/// <item>Reach: the buildings an activity is for (all the district's when it is for all) against the buildings whose
/// latest accepted report judges at least one of the goal's activities on track.</item>
/// <item>Impact: an end target is met when the latest district-wide value on or before the evaluation date reaches it;
/// a signal is the run chart rules' (ADR 20), its direction from the long run's side when the rules found one.</item>
/// </list>
/// </summary>
public static class GoalEvaluationRules
{
    /// <summary>The last day of the school year that starts in <paramref name="startYear"/>.</summary>
    public static DateOnly YearEnd(int startYear) => new(startYear + 1, 6, 30);

    /// <summary>The date the figures speak for: today, or the year's end once it has passed.</summary>
    public static DateOnly AsOf(int startYear, DateOnly today) => today < YearEnd(startYear) ? today : YearEnd(startYear);

    /// <summary>Whether the decision carries the goal into next year's plan.</summary>
    public static bool CarriesOver(EvaluationDecision? decision) => decision is EvaluationDecision.Maintain or EvaluationDecision.Revise;

    public static FidelityFigures Fidelity(IEnumerable<ActivityDates> activities, DateOnly asOf)
    {
        int onTime = 0, late = 0, notDone = 0, open = 0;
        foreach (var a in activities)
        {
            if (a.Done is { } done && done <= asOf)
            {
                if (a.Due is { } due && done > due) late++;
                else onTime++;
            }
            else if (a.Due is { } due && due >= asOf) open++;
            else notDone++;
        }
        return new FidelityFigures(onTime, late, notDone, open);
    }

    public static ReachFigures Reach(IReadOnlyCollection<EvaluatedActivity> activities, IReadOnlyCollection<int> districtBuildings,
        IEnumerable<ReportedActivity> reports)
    {
        var involved = activities.Any(a => a.AllBuildings)
            ? districtBuildings.ToHashSet()
            : activities.SelectMany(a => a.BuildingIds).Where(districtBuildings.Contains).ToHashSet();
        var ours = activities.Select(a => a.Id).ToHashSet();
        var inPlace = reports.Where(r => ours.Contains(r.ActivityId) && r.Judgment == TeamJudgment.OnTrack && involved.Contains(r.BuildingId))
            .Select(r => r.BuildingId).Distinct().Count();
        return new ReachFigures(involved.Count, inPlace);
    }

    public static MeasureImpact Impact(EvaluatedMeasure measure, DateOnly asOf)
    {
        var points = measure.Values.Where(v => v.Date <= asOf).ToList();
        var check = MeasureTargets.Check(measure.Better, [], measure.EndTarget, points, asOf);
        var analysis = RunChart.Analyze(points, measure.Better, measure.ChangeDates);
        var findings = analysis.Phases.SelectMany(p => p.Findings).ToList();
        var signal = !analysis.Phases.Any(p => p.IsTested) ? MeasureSignal.TooFewPoints
            : findings.Where(f => f.IsSignal).Select(f => f.IsBetter).LastOrDefault(b => b is not null) switch
            {
                true => MeasureSignal.Better,
                false => MeasureSignal.Worse,
                null => analysis.HasSignal ? MeasureSignal.Signal : MeasureSignal.NoSignal,
            };
        return new MeasureImpact(measure.Name, measure.Unit, measure.EndTarget, check.Latest, check.MeetsEndTarget, signal);
    }

    public static GoalEvaluationFigures Derive(DateOnly asOf, IReadOnlyCollection<EvaluatedActivity> activities, IEnumerable<string> peopleWhoCheckedIn,
        IEnumerable<(string FundingSource, decimal? PlannedAmount)> strategies, decimal? amountUsed, IReadOnlyCollection<int> districtBuildings,
        IEnumerable<ReportedActivity> reports, IEnumerable<EvaluatedMeasure> measures, IReadOnlyList<RubricRowMovement> rows)
    {
        var strategyList = strategies.ToList();
        var readiness = new ReadinessFigures(
            activities.Select(a => a.OwnerUserId).Where(o => !string.IsNullOrEmpty(o)).Distinct().Count(),
            peopleWhoCheckedIn.Where(p => !string.IsNullOrEmpty(p)).Distinct().Count(),
            strategyList.Sum(s => s.PlannedAmount ?? 0), amountUsed,
            strategyList.Select(s => s.FundingSource.Trim()).Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        return new GoalEvaluationFigures(readiness, Fidelity(activities.Select(a => a.Dates), asOf), Reach(activities, districtBuildings, reports),
            measures.Select(m => Impact(m, asOf)).ToList(), rows);
    }

    // The sentences that pre-fill the four questions. The team corrects them; they are only where the answer starts.

    public static string ReadinessText(ReadinessFigures f)
    {
        var money = f.PlannedAmount == 0 ? "No money was planned for its strategies" : $"{Money(f.PlannedAmount)} was planned for its strategies";
        if (f.FundingSources.Count > 0) money += $" (from {string.Join(", ", f.FundingSources)})";
        money += f.AmountUsed is { } used ? $"; {Money(used)} was used." : "; enter the amount used.";
        return $"{f.PeopleNamed} {People(f.PeopleNamed)} named as owners of its activities; {f.PeopleWhoCheckedIn} recorded check-ins. {money}";
    }

    public static string FidelityText(FidelityFigures f) => f.Total == 0
        ? "The goal had no activities."
        : $"Of {f.Total} activities, {f.OnTime} done on time, {f.Late} done late, {f.NotDone} not done" + (f.StillOpen > 0 ? $" and {f.StillOpen} still open." : ".");

    public static string ReachText(ReachFigures f) => f.BuildingsInvolved == 0
        ? "No building was involved in its activities."
        : $"{f.BuildingsInPlace} of the {f.BuildingsInvolved} buildings involved report its activities in place (on track in their latest accepted report).";

    public static string ImpactText(IReadOnlyList<MeasureImpact> measures, IReadOnlyList<RubricRowMovement> rows)
    {
        var lines = measures.Select(m =>
        {
            var target = m.EndTarget is null ? "no end target"
                : m.MetEndTarget is null ? $"end target {MeasureRules.Format(m.EndTarget.Value, m.Unit)}, no value yet"
                : $"end target {MeasureRules.Format(m.EndTarget.Value, m.Unit)} {(m.MetEndTarget == true ? "met" : "not met")} (latest {MeasureRules.Format(m.Latest!.Value, m.Unit)})";
            return $"{m.Name}: {target}; {SignalText(m.Signal)}.";
        }).ToList();
        if (measures.Count == 0) lines.Add("The goal has no end target measure.");
        lines.AddRange(rows.Select(r => $"Rubric row {r.Label}: " + (r.LastYear, r.ThisYear) switch
        {
            ({ } before, { } now) when now == before => $"level {now} both years.",
            ({ } before, { } now) => $"level {before} last year, {now} this year.",
            (null, { } now) => $"level {now} this year, no consensus last year.",
            ({ } before, null) => $"level {before} last year, no consensus this year.",
            _ => "no consensus either year.",
        }));
        return string.Join("\n", lines);
    }

    public static string SignalText(MeasureSignal signal) => signal switch
    {
        MeasureSignal.TooFewPoints => "too few values for the run chart rules",
        MeasureSignal.NoSignal => "the run chart shows only random variation",
        MeasureSignal.Better => "the run chart signals a change for the better",
        MeasureSignal.Worse => "the run chart signals a change for the worse",
        _ => "the run chart signals a non-random pattern",
    };

    public static string DisplayName(this EvaluationDecision decision) => decision switch
    {
        EvaluationDecision.Maintain => "Maintain",
        EvaluationDecision.Revise => "Revise",
        EvaluationDecision.Discontinue => "Discontinue",
        EvaluationDecision.Archive => "Archive",
        _ => decision.ToString(),
    };

    private static string People(int count) => count == 1 ? "person was" : "people were";

    private static string Money(decimal amount) => amount.ToString("$#,0.##", System.Globalization.CultureInfo.InvariantCulture);
}
