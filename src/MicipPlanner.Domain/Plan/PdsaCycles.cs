using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Plan;

/// <summary>Where a PDSA cycle stands: the stage whose record was written last.</summary>
public enum PdsaStage
{
    /// <summary>Planned: the change, the question and the prediction are written; nothing tried yet.</summary>
    Plan = 0,

    /// <summary>Carried out: what happened is recorded.</summary>
    Do = 1,

    /// <summary>Studied: the result is set against the prediction.</summary>
    Study = 2,

    /// <summary>Decided: adopt, adapt or abandon. The cycle is closed.</summary>
    Act = 3,
}

/// <summary>What the team decides at the end of a cycle.</summary>
public enum PdsaDecision
{
    Adopt = 0,
    Adapt = 1,
    Abandon = 2,
}

/// <summary>How the result compared with the prediction.</summary>
public enum PredictionOutcome
{
    Held = 0,
    PartlyHeld = 1,
    DidNotHold = 2,
}

/// <summary>What a person asks of a cycle; <see cref="PdsaRules.Refusal"/> says whether its stage allows it.</summary>
public enum PdsaStep
{
    EditPlan,
    RecordDo,
    RecordStudy,
    RecordAct,
    PlanNextCycle,
}

/// <summary>
/// A Plan-Do-Study-Act cycle: a small test of a change idea on an activity of the plan. Its prediction is written before
/// the test and fixed once the test is carried out, so the study compares the result with what the team really expected.
/// A cycle that follows another (a ramp of tests) names it in <see cref="PreviousPdsaCycleId"/>.
/// </summary>
public class PdsaCycle : Entity, IDistrictOwned
{
    public const int TextMaxLength = 4000;

    public int DistrictId { get; set; }
    public int CycleId { get; set; }
    public int ActivityId { get; set; }
    public int? PreviousPdsaCycleId { get; set; }
    public PdsaStage Stage { get; set; } = PdsaStage.Plan;

    // Plan
    public string ChangeIdea { get; set; } = "";
    public string Question { get; set; } = "";
    public string Prediction { get; set; } = "";
    public string Who { get; set; } = "";
    public string Where { get; set; } = "";
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }

    // Do
    public string WhatHappened { get; set; } = "";
    public string Problems { get; set; } = "";
    public string Observations { get; set; } = "";

    // Study
    public string Result { get; set; } = "";
    public PredictionOutcome? PredictionOutcome { get; set; }

    // Act
    public PdsaDecision? Decision { get; set; }
    public string DecisionNote { get; set; } = "";

    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A measure of the plan that will show whether a PDSA cycle's change is an improvement.</summary>
public class PdsaMeasureLink : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public int PdsaCycleId { get; set; }
    public int MeasureId { get; set; }
}

public static class PdsaRules
{
    /// <summary>
    /// Why the step cannot be taken on a cycle at <paramref name="stage"/>, or null when it can. Stages follow one another:
    /// no study before the test is carried out, no decision before the study; a plan is fixed once carried out; a next
    /// cycle follows an adopted or adapted change, once.
    /// </summary>
    public static string? Refusal(PdsaStep step, PdsaStage stage, PdsaDecision? decision = null, bool hasNextCycle = false) => step switch
    {
        PdsaStep.EditPlan when stage != PdsaStage.Plan =>
            "The plan is fixed once the test is carried out: a prediction changed afterwards teaches nothing. Plan a next cycle instead.",
        PdsaStep.RecordDo when stage > PdsaStage.Do => "This cycle is already studied; what happened can no longer change.",
        PdsaStep.RecordStudy when stage == PdsaStage.Plan => "Record what happened (Do) before studying the result.",
        PdsaStep.RecordStudy when stage == PdsaStage.Act => "The decision is recorded; the study can no longer change.",
        PdsaStep.RecordAct when stage < PdsaStage.Study => "Study the result against the prediction before deciding.",
        PdsaStep.RecordAct when stage == PdsaStage.Act => "The decision is already recorded. Plan a next cycle to test further.",
        PdsaStep.PlanNextCycle when stage != PdsaStage.Act => "Decide to adopt or adapt the change before planning the next cycle.",
        PdsaStep.PlanNextCycle when decision == PdsaDecision.Abandon => "This change was abandoned, so its ramp ends here. Plan a new cycle for another idea.",
        PdsaStep.PlanNextCycle when hasNextCycle => "This cycle already has a next cycle.",
        _ => null,
    };

    /// <summary>The stage a cycle is at after the step.</summary>
    public static PdsaStage After(PdsaStep step, PdsaStage stage) => step switch
    {
        PdsaStep.RecordDo => PdsaStage.Do,
        PdsaStep.RecordStudy => PdsaStage.Study,
        PdsaStep.RecordAct => PdsaStage.Act,
        _ => stage,
    };

    public static string DisplayName(this PdsaStage stage) => stage switch
    {
        PdsaStage.Plan => "Planned",
        PdsaStage.Do => "Carried out",
        PdsaStage.Study => "Studied",
        PdsaStage.Act => "Decided",
        _ => stage.ToString(),
    };

    public static string DisplayName(this PdsaDecision decision) => decision switch
    {
        PdsaDecision.Adopt => "Adopt",
        PdsaDecision.Adapt => "Adapt",
        PdsaDecision.Abandon => "Abandon",
        _ => decision.ToString(),
    };

    public static string DisplayName(this PredictionOutcome outcome) => outcome switch
    {
        PredictionOutcome.Held => "The prediction held",
        PredictionOutcome.PartlyHeld => "The prediction partly held",
        PredictionOutcome.DidNotHold => "The prediction did not hold",
        _ => outcome.ToString(),
    };
}
