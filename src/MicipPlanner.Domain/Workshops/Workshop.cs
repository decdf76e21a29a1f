using System.Security.Cryptography;
using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Workshops;

/// <summary>The steps a workshop moves through; participants see only the one the facilitator opened.</summary>
public enum WorkshopStep
{
    /// <summary>People arrive: the projector shows the join code and QR.</summary>
    Arrival = 0,
    Activity1 = 1,
    Activity2 = 2,
    Activity3 = 3,
    /// <summary>
    /// The cycle's year-end evaluation, goal by goal: not one of the activities, so never the "next" step; the facilitator
    /// opens it on purpose, in any workshop. Stored by name, like the other steps.
    /// </summary>
    Evaluation = 4,
}

/// <summary>How a participant gets a small group.</summary>
public enum GroupAssignment
{
    /// <summary>The participant picks one of the workshop's groups when joining.</summary>
    ParticipantsPick = 0,
    /// <summary>Each new participant goes to the group with the fewest participants (round-robin).</summary>
    RoundRobin = 1,
}

/// <summary>A live session of the toolkit's activities, joined by code from people's phones.</summary>
public class Workshop : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }

    /// <summary>Short code read aloud in the room (see <see cref="WorkshopCodes"/>); unique among all workshops.</summary>
    public string Code { get; set; } = "";

    public bool IncludesActivity1 { get; set; }
    public bool IncludesActivity2 { get; set; }
    public bool IncludesActivity3 { get; set; }
    public GroupAssignment GroupAssignment { get; set; }

    /// <summary>Rating groups of the cycle used as the workshop's small groups, in display order (<see cref="WorkshopGroup.Position"/>).</summary>
    public List<WorkshopGroup> Groups { get; set; } = [];

    public WorkshopStep Step { get; set; }
    public DateTimeOffset StepOpenedAt { get; set; }

    /// <summary>Seconds spent on each activity, added when the facilitator moves on or ends the workshop.</summary>
    public int Activity1Seconds { get; set; }
    public int Activity2Seconds { get; set; }
    public int Activity3Seconds { get; set; }

    /// <summary>Length of the current activity's timer; starts at the toolkit's suggested time.</summary>
    public int TimerSeconds { get; set; }
    /// <summary>Timer seconds already used before <see cref="TimerRunningSince"/>.</summary>
    public int TimerUsedSeconds { get; set; }
    public DateTimeOffset? TimerRunningSince { get; set; }

    public bool HideNames { get; set; }
    public string StartedByUserId { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    public List<WorkshopParticipant> Participants { get; set; } = [];

    /// <summary>Open until ended by the facilitator or past its expiry time.</summary>
    public bool IsOpenAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    /// <summary>When the workshop stopped taking part: ended by hand, or expired.</summary>
    public DateTimeOffset? ClosedAt(DateTimeOffset now) => EndedAt ?? (now >= ExpiresAt ? ExpiresAt : null);

    public IReadOnlyList<WorkshopStep> Steps => WorkshopRules.StepsOf(IncludesActivity1, IncludesActivity2, IncludesActivity3);
}

/// <summary>A rating group of the cycle taking part in a workshop as one of its small groups.</summary>
public class WorkshopGroup : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int WorkshopId { get; set; }
    public int RatingGroupId { get; set; }

    /// <summary>Where the group is listed among the workshop's groups (0 first): the order the facilitator chose them in.</summary>
    public int Position { get; set; }

    /// <summary>The workshop's groups for the rating group ids in the order given.</summary>
    public static List<WorkshopGroup> ListOf(int districtId, IEnumerable<int> ratingGroupIds) =>
        ratingGroupIds.Distinct().Select((id, i) => new WorkshopGroup { DistrictId = districtId, RatingGroupId = id, Position = i }).ToList();
}

/// <summary>One person in the room. Their entries are written in the cycle's records under <see cref="UserId"/>.</summary>
public class WorkshopParticipant : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int WorkshopId { get; set; }

    /// <summary>The account their entries are attributed to: their own when signed in, else one made for this seat.</summary>
    public string UserId { get; set; } = "";

    /// <summary>True when a signed-in team member joined as themselves.</summary>
    public bool HasOwnAccount { get; set; }
    public string DisplayName { get; set; } = "";
    public int? RatingGroupId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    public const int NameLimit = 60;
}

/// <summary>Join codes: short, read aloud easily, with no characters that look or sound alike.</summary>
public static class WorkshopCodes
{
    /// <summary>No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: 23 characters, so 6 of them give 23^6 ≈ 148 million codes.</summary>
    public const string Alphabet = "34679ACDEFGHJKMNPQRTWXY";
    public const int Length = 6;

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++) code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(code);
    }

    /// <summary>What a person typed, as a code: upper case, spaces and dashes dropped; null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null) return null;
        var cleaned = new string(typed.Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());
        return cleaned.Length == Length && cleaned.All(c => Alphabet.Contains(c)) ? cleaned : null;
    }

    /// <summary>"ACD-479": easier to read from the projector.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..3]}-{code[3..]}" : code;
}

/// <summary>Rules of a running workshop: steps, timer, group assignment.</summary>
public static class WorkshopRules
{
    /// <summary>Default lifetime of a workshop that nobody ends.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    /// <summary>The toolkit's suggested time per activity (upper end: 20–30, 20–25 and 45 minutes).</summary>
    public static int SuggestedMinutes(WorkshopStep step) => step switch
    {
        WorkshopStep.Activity1 => 30,
        WorkshopStep.Activity2 => 25,
        WorkshopStep.Activity3 => 45,
        _ => 0,
    };

    public static IReadOnlyList<WorkshopStep> StepsOf(bool activity1, bool activity2, bool activity3)
    {
        var steps = new List<WorkshopStep> { WorkshopStep.Arrival };
        if (activity1) steps.Add(WorkshopStep.Activity1);
        if (activity2) steps.Add(WorkshopStep.Activity2);
        if (activity3) steps.Add(WorkshopStep.Activity3);
        steps.Add(WorkshopStep.Evaluation);
        return steps;
    }

    /// <summary>The activity after the current step, or null at the last one (the evaluation is opened only on purpose).</summary>
    public static WorkshopStep? NextStep(Workshop workshop)
    {
        var steps = workshop.Steps.Where(s => s != WorkshopStep.Evaluation).ToList();
        var index = IndexOf(steps, workshop.Step);
        return index >= 0 && index + 1 < steps.Count ? steps[index + 1] : null;
    }

    private static int IndexOf(IReadOnlyList<WorkshopStep> steps, WorkshopStep step)
    {
        for (var i = 0; i < steps.Count; i++) if (steps[i] == step) return i;
        return -1;
    }

    /// <summary>Opens a step: the time spent on the previous activity is kept, the timer is set to the suggested time (not running).</summary>
    public static void OpenStep(Workshop workshop, WorkshopStep step, DateTimeOffset now)
    {
        if (!workshop.Steps.Contains(step)) throw new DomainRuleException("That activity is not part of this workshop.");
        CloseStep(workshop, now);
        workshop.Step = step;
        workshop.StepOpenedAt = now;
        workshop.TimerSeconds = SuggestedMinutes(step) * 60;
        workshop.TimerUsedSeconds = 0;
        workshop.TimerRunningSince = null;
    }

    /// <summary>Adds the time since the step opened to its activity's total (on moving on or ending).</summary>
    public static void CloseStep(Workshop workshop, DateTimeOffset now)
    {
        var seconds = (int)Math.Max(0, (now - workshop.StepOpenedAt).TotalSeconds);
        switch (workshop.Step)
        {
            case WorkshopStep.Activity1: workshop.Activity1Seconds += seconds; break;
            case WorkshopStep.Activity2: workshop.Activity2Seconds += seconds; break;
            case WorkshopStep.Activity3: workshop.Activity3Seconds += seconds; break;
        }
        workshop.StepOpenedAt = now;
    }

    public static void End(Workshop workshop, DateTimeOffset now)
    {
        if (workshop.EndedAt is not null) return;
        CloseStep(workshop, now);
        PauseTimer(workshop, now);
        workshop.EndedAt = now;
    }

    /// <summary>Seconds left on the timer (negative once over time).</summary>
    public static int RemainingSeconds(Workshop workshop, DateTimeOffset now)
    {
        var used = workshop.TimerUsedSeconds + (workshop.TimerRunningSince is { } since ? (int)(now - since).TotalSeconds : 0);
        return workshop.TimerSeconds - used;
    }

    public static void StartTimer(Workshop workshop, DateTimeOffset now) => workshop.TimerRunningSince ??= now;

    public static void PauseTimer(Workshop workshop, DateTimeOffset now)
    {
        if (workshop.TimerRunningSince is not { } since) return;
        workshop.TimerUsedSeconds += (int)Math.Max(0, (now - since).TotalSeconds);
        workshop.TimerRunningSince = null;
    }

    public static void AddMinutes(Workshop workshop, int minutes) => workshop.TimerSeconds += minutes * 60;

    /// <summary>Round-robin: the group with the fewest active participants, the first listed on a tie.</summary>
    public static int? RoundRobinGroup(IReadOnlyList<int> groupIds, IReadOnlyDictionary<int, int> activeCounts) =>
        groupIds.Count == 0 ? null : groupIds.OrderBy(id => activeCounts.GetValueOrDefault(id)).ThenBy(id => IndexOf(groupIds, id)).First();

    private static int IndexOf(IReadOnlyList<int> ids, int id)
    {
        for (var i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        return -1;
    }

    /// <summary>How a participant is named in the audit trail.</summary>
    public static string AuditVia(string code) => $"workshop {code}";
}
