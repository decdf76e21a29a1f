using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>A goal's place in MICIP's plan: worked on now, kept up, or put away.</summary>
public enum GoalState
{
    Active = 0,
    Maintenance = 1,
    Archived = 2,
}

/// <summary>The district systems a strategy touches, from the toolkit's list.</summary>
[Flags]
public enum PlanSystems
{
    None = 0,
    CurriculumInstructionAssessment = 1 << 0,
    Data = 1 << 1,
    StudentSupport = 1 << 2,
    Technology = 1 << 3,
    Leadership = 1 << 4,
    Communication = 1 << 5,
    HumanResources = 1 << 6,
    Finance = 1 << 7,
    Transportation = 1 << 8,
    FoodService = 1 << 9,
}

/// <summary>A goal of the cycle's plan: a SMART statement, the rubric rows it serves and its state.</summary>
public class PlanGoal : Entity, IDistrictOwned
{
    public const int StatementMaxLength = 1000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public string Statement { get; set; } = "";
    public GoalState State { get; set; } = GoalState.Active;

    /// <summary>The rubric rows the goal serves, as their keys separated by commas (see <see cref="PlanRules.RowKeys"/>).</summary>
    public string RubricRowKeys { get; set; } = "";
    public int SortOrder { get; set; }

    /// <summary>The previous year's goal this one was carried over from by that year's evaluation decision; null for a new goal.</summary>
    public int? CarriedFromGoalId { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A strategy under a goal: the systems it touches and, for planning only, its funding.</summary>
public class PlanStrategy : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int GoalId { get; set; }
    public string Title { get; set; } = "";
    public PlanSystems Systems { get; set; }
    public string FundingSource { get; set; } = "";
    public decimal? PlannedAmount { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An activity under a strategy: its owner and dates. Its state is derived (<see cref="ActivityStatusRules"/>), never typed.</summary>
public class PlanActivity : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int StrategyId { get; set; }
    public string Title { get; set; } = "";
    public string? OwnerUserId { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateOnly? DoneDate { get; set; }

    /// <summary>Every building takes part; otherwise the ones listed in <see cref="PlanActivityBuilding"/>.</summary>
    public bool AllBuildings { get; set; } = true;

    /// <summary>The action item this activity was filed from, if any. The item itself stays, with its history.</summary>
    public int? SourceActionItemId { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public ActivityDates Dates => new(StartDate, DueDate, DoneDate);
}

/// <summary>A building taking part in an activity that is not for all buildings.</summary>
public class PlanActivityBuilding : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int ActivityId { get; set; }
    public int BuildingId { get; set; }
}

/// <summary>The team's look at an activity on a date: its judgment, a note and evidence. Every check-in is kept.</summary>
public class PlanCheckIn : Entity, IDistrictOwned
{
    public const int NoteMaxLength = 4000;
    public const int LinkMaxLength = 2000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int ActivityId { get; set; }

    /// <summary>The date in the district's calendar the check-in speaks for.</summary>
    public DateOnly Date { get; set; }
    public TeamJudgment Judgment { get; set; }
    public string Note { get; set; } = "";
    public string? EvidenceLink { get; set; }
    public string ByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public static class PlanRules
{
    /// <summary>The keys of a goal's rubric rows, as stored.</summary>
    public static IReadOnlyList<string> RowKeys(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string FormatRowKeys(IEnumerable<string> keys) => string.Join(",", keys.Distinct(StringComparer.Ordinal));

    /// <summary>The systems one by one, in the toolkit's order.</summary>
    public static IReadOnlyList<PlanSystems> Each(PlanSystems systems) =>
        AllSystems.Where(s => systems.HasFlag(s)).ToList();

    public static readonly IReadOnlyList<PlanSystems> AllSystems =
        Enum.GetValues<PlanSystems>().Where(s => s != PlanSystems.None).ToList();

    public static string DisplayName(this PlanSystems system) => system switch
    {
        PlanSystems.CurriculumInstructionAssessment => "Curriculum, instruction and assessment",
        PlanSystems.Data => "Data",
        PlanSystems.StudentSupport => "Student support",
        PlanSystems.Technology => "Technology",
        PlanSystems.Leadership => "Leadership",
        PlanSystems.Communication => "Communication",
        PlanSystems.HumanResources => "Human resources",
        PlanSystems.Finance => "Finance",
        PlanSystems.Transportation => "Transportation",
        PlanSystems.FoodService => "Food service",
        _ => system.ToString(),
    };

    public static string DisplayName(this GoalState state) => state switch
    {
        GoalState.Active => "Active",
        GoalState.Maintenance => "Maintenance",
        GoalState.Archived => "Archived",
        _ => state.ToString(),
    };

    public static string DisplayName(this ActivityState state) => state switch
    {
        ActivityState.NotStarted => "Not started",
        ActivityState.OnTarget => "On target",
        ActivityState.Approaching => "Approaching",
        ActivityState.Overdue => "Overdue",
        ActivityState.Done => "Done",
        _ => state.ToString(),
    };

    public static string DisplayName(this TeamJudgment judgment) => judgment switch
    {
        TeamJudgment.OnTrack => "On track",
        TeamJudgment.AtRisk => "At risk",
        TeamJudgment.OffTrack => "Off track",
        _ => judgment.ToString(),
    };
}
