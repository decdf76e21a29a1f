using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Workshops;

public sealed record BoardParticipant(int Id, string Name, bool Removed, bool HasOwnAccount);
public sealed record BoardGroup(int Id, string Name, IReadOnlyList<BoardParticipant> Participants)
{
    public int Active => Participants.Count(p => !p.Removed);
}

/// <summary>A group's rating of a row as the heat map counts it.</summary>
public sealed record HeatRating(int GroupId, string RowKey, int? Level);

/// <summary>A heat map row's cells: how many groups chose each level, and which.</summary>
public sealed record HeatCells(string Key, RowComparison Comparison, IReadOnlyList<IReadOnlyList<string>> GroupsByLevel)
{
    /// <summary>The row as the workshop's groups (in their listed order) rated it.</summary>
    public static HeatCells Of(string key, IReadOnlyList<ParticipantGroup> groups, IReadOnlyCollection<HeatRating> ratings)
    {
        var levels = groups.Select(g => ratings.FirstOrDefault(r => r.GroupId == g.Id && r.RowKey == key)?.Level).ToList();
        var byLevel = Enumerable.Range(RubricLevels.Min, RubricLevels.Max)
            .Select(level => (IReadOnlyList<string>)groups.Where((_, i) => levels[i] == level).Select(g => g.Name).ToList()).ToList();
        return new HeatCells(key, RatingComparison.Compare(key, levels), byLevel);
    }

    /// <summary>What the presenter view redraws of the row: counts per level, groups that rated, disagreement, and who chose what.</summary>
    public object ToJson() => new { key = Key, counts = Comparison.CountsByLevel, rated = Comparison.RatedGroups, flagged = Comparison.Disagrees, groups = GroupsByLevel };
}

/// <summary>One rubric row of the heat map as the board shows it: its number and label beside its cells.</summary>
public sealed record BoardRow(int Number, string Label, HeatCells Cells)
{
    public string Key => Cells.Key;
    public RowComparison Comparison => Cells.Comparison;
    public IReadOnlyList<IReadOnlyList<string>> GroupsByLevel => Cells.GroupsByLevel;
}

/// <summary>A goal on the evaluation step's projector: its number in the plan's order and the decision saved so far.</summary>
public sealed record BoardDecision(int GoalId, int Number, string Statement, EvaluationDecision? Decision)
{
    public string DecisionText => Decision?.DisplayName() ?? "not decided yet";
}

public sealed record BoardTimer(int TotalSeconds, int RemainingSeconds, bool Running);

/// <summary>
/// What the presenter view shows and its poll sends: participants per group, the timer, and the live tally of the
/// open step. Read with a few small queries; the poll skips it altogether while the district's data version is unchanged.
/// </summary>
public sealed record WorkshopBoard(int WorkshopId, string Code, WorkshopStep Step, IReadOnlyList<WorkshopStep> Steps, bool HideNames,
    bool Open, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, BoardTimer Timer,
    IReadOnlyList<BoardGroup> Groups, IReadOnlyList<BoardParticipant> Ungrouped, IReadOnlyList<BoardRow> Heat,
    IReadOnlyDictionary<string, int> ExamplesByConsequence, IReadOnlyDictionary<int, int> ReflectionsByOutcome,
    IReadOnlyDictionary<string, bool> DiscussionAnswered, int[] ActivitySeconds, IReadOnlyList<BoardDecision> Decisions)
{
    public int ActiveParticipants => Groups.Sum(g => g.Active) + Ungrouped.Count(p => !p.Removed);

    public static async Task<WorkshopBoard> LoadAsync(AppDbContext db, Workshop workshop, ToolkitDefinition toolkit, DateTimeOffset now)
    {
        var groups = await ParticipantGroup.ListedIn(db, workshop.Id).AsNoTracking().ToListAsync();
        var groupIds = groups.Select(g => g.Id).ToList();
        var people = await db.WorkshopParticipants.Where(p => p.WorkshopId == workshop.Id).OrderBy(p => p.JoinedAt)
            .Select(p => new { p.Id, p.DisplayName, p.RatingGroupId, Removed = p.RemovedAt != null, p.HasOwnAccount }).AsNoTracking().ToListAsync();
        var boardGroups = groups
            .Select(g => new BoardGroup(g.Id, g.Name, people.Where(p => p.RatingGroupId == g.Id)
                .Select(p => new BoardParticipant(p.Id, p.DisplayName, p.Removed, p.HasOwnAccount)).ToList()))
            .ToList();
        var known = boardGroups.Select(g => g.Id).ToHashSet();
        var ungrouped = people.Where(p => p.RatingGroupId is not { } gid || !known.Contains(gid))
            .Select(p => new BoardParticipant(p.Id, p.DisplayName, p.Removed, p.HasOwnAccount)).ToList();

        // An open workshop's board shows the tally of its open step only (the presenter view and its state); a closed
        // one's summary shows the heat map. The presenter asks after every save in the district, so what no step shows
        // is not read.
        var open = workshop.IsOpenAt(now);
        bool Shows(WorkshopStep step) => open && workshop.Step == step;
        var ratings = Shows(WorkshopStep.Activity2) || !open
            ? await db.RubricRatings.Where(r => groupIds.Contains(r.RatingGroupId) && r.CycleId == workshop.CycleId && r.Level != null)
                .Select(r => new HeatRating(r.RatingGroupId, r.RowKey, r.Level)).AsNoTracking().ToListAsync()
            : [];
        var heat = toolkit.Rubric.Rows.Select(row => new BoardRow(row.Number, row.Label, HeatCells.Of(row.Key, groups, ratings))).ToList();

        var cycleId = workshop.CycleId;
        Dictionary<string, int> examples = [];
        Dictionary<int, int> reflections = [];
        if (Shows(WorkshopStep.Activity1))
        {
            examples = await db.ConsequenceExamples.Where(e => e.CycleId == cycleId).GroupBy(e => e.ConsequenceKey)
                .Select(g => new { g.Key, Count = g.Count() }).AsNoTracking().ToDictionaryAsync(g => g.Key, g => g.Count);
            reflections = await db.OutcomeReflections.Where(r => r.CycleId == cycleId).GroupBy(r => r.OutcomeNumber)
                .Select(g => new { g.Key, Count = g.Count() }).AsNoTracking().ToDictionaryAsync(g => g.Key, g => g.Count);
        }
        var notes = Shows(WorkshopStep.Activity3)
            ? await db.DiscussionNotes.Where(n => n.CycleId == cycleId && n.Text != "").Select(n => n.QuestionKey).AsNoTracking().ToListAsync()
            : [];
        var answered = toolkit.Rubric.DiscussionQuestions.ToDictionary(q => q.Key, q => notes.Contains(q.Key));

        List<BoardDecision> decisions = [];
        if (Shows(WorkshopStep.Evaluation))
            decisions = (await db.PlanGoals.Where(g => g.CycleId == cycleId && g.DistrictId == workshop.DistrictId)
                    .OrderBy(g => g.State == GoalState.Archived).ThenBy(g => g.SortOrder).ThenBy(g => g.Id)
                    .Select(g => new { g.Id, g.Statement, Decision = db.GoalEvaluations.Where(e => e.GoalId == g.Id).Select(e => e.Decision).FirstOrDefault() })
                    .AsNoTracking().ToListAsync())
                .Select((g, i) => new BoardDecision(g.Id, i + 1, g.Statement, g.Decision)).ToList();

        // The open step's time so far counts toward its activity.
        var seconds = new[] { workshop.Activity1Seconds, workshop.Activity2Seconds, workshop.Activity3Seconds };
        if (open && workshop.Step is >= WorkshopStep.Activity1 and <= WorkshopStep.Activity3)
            seconds[(int)workshop.Step - 1] += (int)Math.Max(0, (now - workshop.StepOpenedAt).TotalSeconds);

        var timer = new BoardTimer(workshop.TimerSeconds, WorkshopRules.RemainingSeconds(workshop, now), workshop.TimerRunningSince is not null);
        return new WorkshopBoard(workshop.Id, workshop.Code, workshop.Step, workshop.Steps, workshop.HideNames, open,
            workshop.StartedAt, workshop.ExpiresAt, workshop.EndedAt, timer, boardGroups, ungrouped, heat, examples, reflections, answered, seconds, decisions);
    }

    /// <summary>The presenter poll's answer: small, only numbers and names the projector already shows.</summary>
    public object ToJson(long dataVersion) => new
    {
        v = dataVersion,
        step = Step.ToString(),
        open = Open,
        participants = ActiveParticipants,
        timer = new { total = Timer.TotalSeconds, remaining = Timer.RemainingSeconds, running = Timer.Running },
        groups = Groups.Select(g => new { id = g.Id, name = g.Name, count = g.Active, people = HideNames ? [] : g.Participants.Where(p => !p.Removed).Select(p => p.Name).ToArray() }),
        heat = Heat.Select(r => r.Cells.ToJson()),
        examples = ExamplesByConsequence,
        reflections = ReflectionsByOutcome,
        answered = DiscussionAnswered,
        decisions = Decisions.ToDictionary(d => d.GoalId.ToString(System.Globalization.CultureInfo.InvariantCulture), d => d.DecisionText),
    };

    public static string FormatDuration(int seconds)
    {
        var sign = seconds < 0 ? "−" : "";
        var abs = Math.Abs(seconds);
        return $"{sign}{abs / 60}:{abs % 60:00}";
    }
}
