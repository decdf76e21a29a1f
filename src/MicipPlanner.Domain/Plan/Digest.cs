using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>Where a day's digest for one person in one district stands (ADR 022).</summary>
public enum DigestClaimState
{
    /// <summary>Claimed by an instance that is sending it now (or stopped while sending: then it is not sent again).</summary>
    Sending,

    /// <summary>The e-mail went out.</summary>
    Sent,

    /// <summary>The e-mail could not be sent; another run the same day may claim it again.</summary>
    Failed,

    /// <summary>No mail server is configured: the in-app notice is all there is.</summary>
    NoticeOnly,
}

/// <summary>
/// The claim on one person's digest for one district on one date of the district's calendar. The unique key over
/// (district, person, date) is what makes the digest go out once however many instances run: the instance whose insert
/// wins sends it; the others find the key taken.
/// </summary>
public class DigestClaim : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public string UserId { get; set; } = "";

    /// <summary>The date in the district's calendar the digest is for.</summary>
    public DateOnly Date { get; set; }
    public DigestClaimState State { get; set; } = DigestClaimState.Sending;

    /// <summary>Sending attempts so far, the first included.</summary>
    public int Attempts { get; set; } = 1;
    public DateTimeOffset ClaimedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>What a digest line is about; the sections of the e-mail, most pressing first.</summary>
public enum DigestItemKind
{
    Overdue,
    DueSoon,
    NoCheckIn,

    /// <summary>A building monitoring report the person's building team owes (due within the week, or overdue).</summary>
    BuildingReportDue,
}

/// <summary>What a run does about one person's digest, given the claim already in the database (if any).</summary>
public enum DigestClaimDecision
{
    /// <summary>No claim yet: insert one; the unique key decides between instances.</summary>
    Claim,

    /// <summary>An earlier attempt today failed and attempts remain: take the claim over (guarded by its version).</summary>
    Retry,

    /// <summary>Sent, being sent, notice only, or out of attempts: nothing to do.</summary>
    Skip,
}

/// <summary>The rules of the daily reminder digest: which day it is, when it is time, what goes in, who sends.</summary>
public static class DigestRules
{
    /// <summary>An activity due today or within this many days after is listed as "due soon" (the plan's "approaching" rule).</summary>
    public const int DueSoonDays = 7;

    /// <summary>Attempts at sending one digest on one day; after that it waits for tomorrow's.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The hour of the district's day from which its digests go out, unless configured.</summary>
    public const int DefaultSendHour = 6;

    /// <summary>
    /// The district's date whose digest is due at <paramref name="now"/>: today in the district's zone once its clock
    /// has reached <paramref name="sendHour"/>, otherwise none (yesterday's digest is not sent late: today's follows).
    /// </summary>
    public static DateOnly? DueDate(DateTimeOffset now, TimeZoneInfo zone, int sendHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sendHour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sendHour, 23);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return local.Hour >= sendHour ? DateOnly.FromDateTime(local.DateTime) : null;
    }

    /// <summary>What to do about a person's digest for the day, given the claim found for it (null: none).</summary>
    public static DigestClaimDecision Decide(DigestClaimState? existing, int attempts) => existing switch
    {
        null => DigestClaimDecision.Claim,
        DigestClaimState.Failed when attempts < MaxAttempts => DigestClaimDecision.Retry,
        _ => DigestClaimDecision.Skip,
    };

    /// <summary>
    /// Why an activity belongs in its owner's digest today, the most pressing reason only, or null when it does not:
    /// overdue, due from today to <see cref="DueSoonDays"/> days ahead, or under way without a check-in for longer
    /// than the district's window (<see cref="ActivityStatusRules.IsStale"/>). Done activities never appear.
    /// </summary>
    public static DigestItemKind? KindOf(ActivityDates dates, DateOnly? lastCheckIn, DateOnly today, int staleAfterDays)
    {
        if (dates.Done is not null) return null;
        if (dates.Due is { } due)
        {
            if (due < today) return DigestItemKind.Overdue;
            if (due <= today.AddDays(DueSoonDays)) return DigestItemKind.DueSoon;
        }
        return ActivityStatusRules.IsStale(dates, lastCheckIn, today, staleAfterDays) ? DigestItemKind.NoCheckIn : null;
    }

    /// <summary>
    /// A building monitoring report belongs in the digest of its building team from <see cref="DueSoonDays"/> days before
    /// its due date until it is submitted (overdue ones stay until then).
    /// </summary>
    public static bool ReportIsDue(DateOnly dueDate, bool submitted, DateOnly today) =>
        !submitted && dueDate <= today.AddDays(DueSoonDays);

    public static string Heading(this DigestItemKind kind, int staleAfterDays) => kind switch
    {
        DigestItemKind.Overdue => "Overdue",
        DigestItemKind.DueSoon => $"Due within {DueSoonDays} days",
        DigestItemKind.NoCheckIn => $"No check-in for more than {staleAfterDays} days",
        DigestItemKind.BuildingReportDue => "Building reports due",
        _ => kind.ToString(),
    };
}
