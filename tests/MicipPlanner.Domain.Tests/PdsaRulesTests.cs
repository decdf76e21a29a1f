using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Domain.Tests;

public sealed class PdsaRulesTests
{
    [Theory]
    [InlineData(PdsaStep.EditPlan, PdsaStage.Plan, PdsaStage.Plan)]
    [InlineData(PdsaStep.RecordDo, PdsaStage.Plan, PdsaStage.Do)]
    [InlineData(PdsaStep.RecordDo, PdsaStage.Do, PdsaStage.Do)]
    [InlineData(PdsaStep.RecordStudy, PdsaStage.Do, PdsaStage.Study)]
    [InlineData(PdsaStep.RecordStudy, PdsaStage.Study, PdsaStage.Study)]
    [InlineData(PdsaStep.RecordAct, PdsaStage.Study, PdsaStage.Act)]
    public void Stages_follow_one_another(PdsaStep step, PdsaStage from, PdsaStage to)
    {
        Assert.Null(PdsaRules.Refusal(step, from));
        Assert.Equal(to, PdsaRules.After(step, from));
    }

    [Theory]
    [InlineData(PdsaStep.RecordAct, PdsaStage.Plan, "Study the result")]
    [InlineData(PdsaStep.RecordAct, PdsaStage.Do, "Study the result")]
    [InlineData(PdsaStep.RecordAct, PdsaStage.Act, "already recorded")]
    [InlineData(PdsaStep.RecordStudy, PdsaStage.Plan, "Record what happened")]
    [InlineData(PdsaStep.RecordStudy, PdsaStage.Act, "can no longer change")]
    [InlineData(PdsaStep.RecordDo, PdsaStage.Study, "already studied")]
    [InlineData(PdsaStep.RecordDo, PdsaStage.Act, "already studied")]
    [InlineData(PdsaStep.EditPlan, PdsaStage.Do, "prediction changed afterwards")]
    [InlineData(PdsaStep.EditPlan, PdsaStage.Act, "prediction changed afterwards")]
    [InlineData(PdsaStep.PlanNextCycle, PdsaStage.Study, "Decide to adopt or adapt")]
    public void A_step_out_of_order_is_refused_with_a_reason(PdsaStep step, PdsaStage stage, string reason)
    {
        var refusal = PdsaRules.Refusal(step, stage);
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal);
    }

    [Theory]
    [InlineData(PdsaDecision.Adopt)]
    [InlineData(PdsaDecision.Adapt)]
    public void An_adopted_or_adapted_change_ramps_into_one_next_cycle(PdsaDecision decision)
    {
        Assert.Null(PdsaRules.Refusal(PdsaStep.PlanNextCycle, PdsaStage.Act, decision));
        Assert.Contains("already has a next cycle", PdsaRules.Refusal(PdsaStep.PlanNextCycle, PdsaStage.Act, decision, hasNextCycle: true));
    }

    [Fact]
    public void An_abandoned_change_ends_its_ramp()
    {
        Assert.Contains("abandoned", PdsaRules.Refusal(PdsaStep.PlanNextCycle, PdsaStage.Act, PdsaDecision.Abandon));
    }

    [Fact]
    public void Every_stage_decision_and_outcome_has_a_name_for_people()
    {
        foreach (var stage in Enum.GetValues<PdsaStage>()) Assert.NotEqual(stage.ToString(), stage.DisplayName());
        Assert.Equal("Abandon", PdsaDecision.Abandon.DisplayName());
        foreach (var outcome in Enum.GetValues<PredictionOutcome>()) Assert.StartsWith("The prediction", outcome.DisplayName());
    }
}
