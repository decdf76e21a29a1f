using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Balance;

/// <summary>
/// A Maintaining Balance action-planning template: a building's (BuildingId set) or the district's
/// own (BuildingId null) for one cycle.
/// </summary>
public class BalanceTemplate : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int? BuildingId { get; set; }
    public TemplateState State { get; set; } = TemplateState.Draft;

    /// <summary>Activity 3 answers: functions, roles and responsibilities of buildings, of districts, in common.</summary>
    public string BuildingsAnswer { get; set; } = "";
    public string DistrictsAnswer { get; set; } = "";
    public string CommonAnswer { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    public List<BalanceTemplateItem> Items { get; set; } = [];
    public List<TemplateTransition> Transitions { get; set; } = [];

    public bool IsDistrictTemplate => BuildingId is null;
}

/// <summary>One function of one Maintaining Balance row in a template.</summary>
public class BalanceTemplateItem : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int TemplateId { get; set; }
    public int RowNumber { get; set; }
    public BalanceFunction Function { get; set; }
    public FunctionStatus? Status { get; set; }
    public string Evidence { get; set; } = "";
    public string NextAction { get; set; } = "";

    /// <summary>Who owns the next action: free text, since owners are often not app users.</summary>
    public string Owner { get; set; } = "";
    public DateOnly? TargetDate { get; set; }
}

/// <summary>A recorded move of a template from one state to another.</summary>
public class TemplateTransition : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int TemplateId { get; set; }
    public TemplateState From { get; set; }
    public TemplateState To { get; set; }
    public string UserId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Comment { get; set; } = "";
}

public enum TemplateState { Draft = 0, Submitted = 1, Returned = 2, Accepted = 3 }

public enum BalanceFunction { Building = 0, Collaborative = 1, District = 2 }

public enum FunctionStatus { InPlace = 1, NeedsStrengthening = 2, NeedsToBeCreated = 3 }

public static class BalanceNames
{
    public static string DisplayName(this FunctionStatus status) => status switch
    {
        FunctionStatus.InPlace => "In place",
        FunctionStatus.NeedsStrengthening => "Needs strengthening",
        FunctionStatus.NeedsToBeCreated => "Needs to be created",
        _ => status.ToString(),
    };

    public static string DisplayName(this TemplateState state) => state switch
    {
        TemplateState.Draft => "Draft",
        TemplateState.Submitted => "Submitted",
        TemplateState.Returned => "Returned",
        TemplateState.Accepted => "Accepted",
        _ => state.ToString(),
    };

    public static string DisplayName(this BalanceFunction function) => function switch
    {
        BalanceFunction.Building => "Building team function",
        BalanceFunction.Collaborative => "Collaborative function",
        BalanceFunction.District => "District team function",
        _ => function.ToString(),
    };
}
