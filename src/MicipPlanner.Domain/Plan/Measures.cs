namespace MicipPlanner.Domain.Plan;

/// <summary>Which way a measure should move: up (e.g. percent proficient) or down (e.g. chronic absence).</summary>
public enum BetterDirection
{
    Higher,
    Lower,
}

/// <summary>
/// One value of a measure on the date it was taken. Values are decimal so that a point whose value equals the median
/// is recognised as lying on it (binary floating point could put it a hair to one side).
/// </summary>
public sealed record MeasurePoint(DateOnly Date, decimal Value);

/// <summary>A value a measure should reach by a date (an interim target or the end target).</summary>
public sealed record MeasureTarget(DateOnly Date, decimal Value);

/// <summary>
/// Where a measure stands against its targets on a given day.
/// </summary>
/// <param name="Latest">The most recent value taken on or before today, or null when there is none yet.</param>
/// <param name="LastDueInterimTarget">The latest interim target whose date has come (date on or before today), or null.</param>
/// <param name="MeetsLastDueInterimTarget">Whether <paramref name="Latest"/> meets that target; null when either is missing.</param>
/// <param name="EndTarget">The end target, when the measure has one.</param>
/// <param name="MeetsEndTarget">Whether <paramref name="Latest"/> meets the end target; null when either is missing.</param>
/// <param name="IsEndTargetDue">Whether the end target's date has come (on or before today).</param>
public sealed record MeasureTargetCheck(MeasurePoint? Latest, MeasureTarget? LastDueInterimTarget, bool? MeetsLastDueInterimTarget,
    MeasureTarget? EndTarget, bool? MeetsEndTarget, bool IsEndTargetDue)
{
    /// <summary>The measure is "off its last interim target": a target is due and the latest value falls short of it.</summary>
    public bool IsOffLastInterimTarget => MeetsLastDueInterimTarget == false;

    /// <summary>The end target's date has come and the latest value falls short of it.</summary>
    public bool HasMissedEndTarget => IsEndTargetDue && MeetsEndTarget == false;
}

/// <summary>Compares a measure's latest value with its interim and end targets.</summary>
public static class MeasureTargets
{
    /// <summary>Reaching the target exactly counts as meeting it, in either direction.</summary>
    public static bool Meets(decimal value, decimal target, BetterDirection better) =>
        better == BetterDirection.Higher ? value >= target : value <= target;

    /// <param name="better">Whether higher or lower values are better.</param>
    /// <param name="interimTargets">The measure's interim targets, in any order.</param>
    /// <param name="endTarget">The end target, or null when the measure has none.</param>
    /// <param name="values">The measure's values, in any order.</param>
    /// <param name="today">The district's today.</param>
    public static MeasureTargetCheck Check(BetterDirection better, IEnumerable<MeasureTarget> interimTargets, MeasureTarget? endTarget,
        IEnumerable<MeasurePoint> values, DateOnly today)
    {
        // A value dated after today has not been measured yet (a slip of the date picker): it must not count as progress.
        // Of several values on the latest date, the last one given wins (the caller lists them in entry order).
        var latest = values.Where(v => v.Date <= today).OrderBy(v => v.Date).LastOrDefault();
        var lastDue = interimTargets.Where(t => t.Date <= today).OrderBy(t => t.Date).LastOrDefault();
        bool? meetsInterim = latest is not null && lastDue is not null ? Meets(latest.Value, lastDue.Value, better) : null;
        bool? meetsEnd = latest is not null && endTarget is not null ? Meets(latest.Value, endTarget.Value, better) : null;
        return new MeasureTargetCheck(latest, lastDue, meetsInterim, endTarget, meetsEnd, endTarget is not null && endTarget.Date <= today);
    }
}
