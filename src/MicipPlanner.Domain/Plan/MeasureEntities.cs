using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>What a measure watches, in MICIP's terms.</summary>
public enum MeasureKind
{
    /// <summary>The result the plan is for (e.g. percent of students proficient).</summary>
    Outcome = 0,

    /// <summary>Whether the work is done as planned (e.g. classrooms observed using the routine).</summary>
    Process = 1,

    /// <summary>Something the change must not make worse elsewhere (e.g. time taken from other subjects).</summary>
    Balancing = 2,
}

public enum MeasureUnit
{
    Percent = 0,
    Count = 1,
    Score = 2,
    Rate = 3,
}

/// <summary>
/// A measure of the plan. On a goal it is an end target measure; on a strategy or an activity an interim one. Exactly
/// one of <see cref="GoalId"/>, <see cref="StrategyId"/> and <see cref="ActivityId"/> is set.
/// </summary>
public class PlanMeasure : Entity, IDistrictOwned
{
    public const int DataSourceMaxLength = 500;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int? GoalId { get; set; }
    public int? StrategyId { get; set; }
    public int? ActivityId { get; set; }
    public string Name { get; set; } = "";
    public MeasureKind Kind { get; set; }
    public MeasureUnit Unit { get; set; }
    public BetterDirection Better { get; set; }
    public decimal? BaselineValue { get; set; }
    public DateOnly? BaselineDate { get; set; }
    public decimal? EndTargetValue { get; set; }
    public DateOnly? EndTargetDate { get; set; }
    public string DataSource { get; set; } = "";
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the team stopped watching it. An archived measure keeps its values and chart; it leaves the meeting.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>
    /// The first measure of the line this one continues, when its goal was carried over from an earlier year: every measure
    /// of the line shares this key, so the run chart shows the earlier years' values before this year's. Null for a new measure.
    /// </summary>
    public int? HistoryMeasureId { get; set; }

    /// <summary>The key of the value history this measure belongs to: its line's first measure, or itself.</summary>
    public int HistoryKey => HistoryMeasureId ?? Id;

    public MeasureTarget? EndTarget => EndTargetValue is { } value && EndTargetDate is { } date ? new MeasureTarget(date, value) : null;
}

/// <summary>An interim target of a measure: the value it should reach by a date.</summary>
public class PlanMeasureTarget : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int MeasureId { get; set; }
    public DateOnly Date { get; set; }
    public decimal Value { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The date a change was introduced: the run chart starts a new phase, with its own median, from it.</summary>
public class PlanMeasurePhase : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int MeasureId { get; set; }
    public DateOnly Date { get; set; }
    public string Label { get; set; } = "";
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A value of a measure on a date, for the whole district or one building. Every value entered is kept.</summary>
public class PlanMeasureValue : Entity, IDistrictOwned
{
    public const int NoteMaxLength = 1000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int MeasureId { get; set; }
    public DateOnly Date { get; set; }
    public decimal Value { get; set; }

    /// <summary>The building the value was taken in; null for a district-wide value.</summary>
    public int? BuildingId { get; set; }
    public string Note { get; set; } = "";
    public string RecordedByUserId { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>
    /// The accepted building monitoring report the value was copied from when the district accepted it (ADR 24); null for
    /// a value entered on the plan. One copy per report and measure.
    /// </summary>
    public int? SourceReportId { get; set; }
}

public static class MeasureRules
{
    /// <summary>The largest value a measure takes (a count or a rate can be large; a percent is checked separately).</summary>
    public const decimal MaxValue = 999_999_999m;

    public static string DisplayName(this MeasureKind kind) => kind switch
    {
        MeasureKind.Outcome => "Outcome",
        MeasureKind.Process => "Process",
        MeasureKind.Balancing => "Balancing",
        _ => kind.ToString(),
    };

    public static string DisplayName(this MeasureUnit unit) => unit switch
    {
        MeasureUnit.Percent => "Percent",
        MeasureUnit.Count => "Count",
        MeasureUnit.Score => "Score",
        MeasureUnit.Rate => "Rate",
        _ => unit.ToString(),
    };

    public static string DisplayName(this BetterDirection better) => better switch
    {
        BetterDirection.Higher => "Higher is better",
        BetterDirection.Lower => "Lower is better",
        _ => better.ToString(),
    };

    /// <summary>A value written with its unit: "62%", "14", "3.5".</summary>
    public static string Format(decimal value, MeasureUnit unit)
    {
        var text = value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return unit == MeasureUnit.Percent ? text + "%" : text;
    }
}
