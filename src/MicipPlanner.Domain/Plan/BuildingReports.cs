using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>
/// A monitoring period of the cycle set by the district (e.g. fall, winter, spring): by its due date every building team
/// reports to the district CI team (the toolkit's building function of Monitoring).
/// </summary>
public class MonitoringPeriod : Entity, IDistrictOwned
{
    public const int NameMaxLength = 100;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string Name { get; set; } = "";
    public DateOnly DueDate { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A measure of the plan that building teams report a value of in every monitoring period.</summary>
public class ReportedMeasure : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int MeasureId { get; set; }
}

/// <summary>
/// A building team's monitoring report for one period: its values of the reported measures, the status of the activities it
/// takes part in and its recommendations to the district CI team. It follows the review workflow of the templates.
/// </summary>
public class BuildingReport : Entity, IDistrictOwned
{
    public const int RecommendationsMaxLength = 8000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int PeriodId { get; set; }
    public int BuildingId { get; set; }
    public TemplateState State { get; set; } = TemplateState.Draft;
    public string Recommendations { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    public List<BuildingReportValue> Values { get; set; } = [];
    public List<BuildingReportActivity> Activities { get; set; } = [];
    public List<BuildingReportTransition> Transitions { get; set; } = [];
}

/// <summary>The building's value of one reported measure in its report.</summary>
public class BuildingReportValue : Entity, IDistrictOwned
{
    public const int NoteMaxLength = 1000;

    public int DistrictId { get; set; }
    public int ReportId { get; set; }
    public int MeasureId { get; set; }
    public decimal? Value { get; set; }
    public string Note { get; set; } = "";
}

/// <summary>The building's judgment of one activity it takes part in, with a note.</summary>
public class BuildingReportActivity : Entity, IDistrictOwned
{
    public const int NoteMaxLength = 1000;

    public int DistrictId { get; set; }
    public int ReportId { get; set; }
    public int ActivityId { get; set; }
    public TeamJudgment? Judgment { get; set; }
    public string Note { get; set; } = "";
}

/// <summary>A recorded move of a report from one state to another, with the reviewer's comment on a return.</summary>
public class BuildingReportTransition : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int ReportId { get; set; }
    public TemplateState From { get; set; }
    public TemplateState To { get; set; }
    public string UserId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Comment { get; set; } = "";
}

/// <summary>What a report must hold before the building submits it.</summary>
public static class BuildingReportRules
{
    /// <summary>One sentence per gap: a value of every reported measure, a status of every activity, the recommendations.</summary>
    public static IReadOnlyList<string> MissingForSubmission(
        IEnumerable<(string Measure, decimal? Value)> values, IEnumerable<(string Activity, TeamJudgment? Judgment)> activities, string recommendations)
    {
        var missing = new List<string>();
        missing.AddRange(values.Where(v => v.Value is null).Select(v => $"Enter the building's value of “{v.Measure}”."));
        missing.AddRange(activities.Where(a => a.Judgment is null).Select(a => $"Say how “{a.Activity}” is going."));
        if (string.IsNullOrWhiteSpace(recommendations)) missing.Add("Write the building's recommendations to the district CI team (“None” is an answer).");
        return missing;
    }

    /// <summary>
    /// The date an accepted report's values take on the measure's run chart: the period's due date, or the day the building
    /// submitted the report when that came first (a value is never dated after the day it was reported).
    /// </summary>
    public static DateOnly ValueDate(DateOnly dueDate, DateOnly submittedOn) => submittedOn < dueDate ? submittedOn : dueDate;

    /// <summary>
    /// Whether a monitoring period can be removed: only while none of its reports has reached the district team (submitted,
    /// returned or accepted). Drafts the buildings started go with it.
    /// </summary>
    public static bool PeriodRemovable(IEnumerable<TemplateState> reportStates) => reportStates.All(s => s == TemplateState.Draft);

    /// <summary>Days until the period's due date, counted in the district's calendar (negative once past).</summary>
    public static int DaysUntilDue(DateOnly dueDate, DateOnly today) => dueDate.DayNumber - today.DayNumber;
}
