using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Toolkits;

namespace MicipPlanner.Domain.Tests;

public sealed class TemplateWorkflowTests
{
    private static readonly BalanceDefinition Balance = ToolkitCatalog.LoadEmbedded().Default.Balance;

    [Theory]
    [InlineData(TemplateState.Draft, TemplateAction.Submit, TemplateState.Submitted)]
    [InlineData(TemplateState.Returned, TemplateAction.Submit, TemplateState.Submitted)]
    [InlineData(TemplateState.Submitted, TemplateAction.Accept, TemplateState.Accepted)]
    public void Legal_transitions_move_the_template(TemplateState from, TemplateAction action, TemplateState to)
    {
        var result = TemplateWorkflow.Apply(from, action);
        Assert.True(result.Allowed);
        Assert.Equal(to, result.NewState);
    }

    [Fact]
    public void Returning_needs_a_comment()
    {
        Assert.Equal("Say what the building should change: a comment is required to return a template.",
            TemplateWorkflow.Apply(TemplateState.Submitted, TemplateAction.Return, "  ").Reason);
        Assert.Equal(TemplateState.Returned, TemplateWorkflow.Apply(TemplateState.Submitted, TemplateAction.Return, "Add owners").NewState);
    }

    [Theory]
    [InlineData(TemplateState.Submitted, TemplateAction.Submit, "already submitted")]
    [InlineData(TemplateState.Accepted, TemplateAction.Submit, "accepted")]
    [InlineData(TemplateState.Draft, TemplateAction.Accept, "still a draft")]
    [InlineData(TemplateState.Draft, TemplateAction.Return, "still a draft")]
    [InlineData(TemplateState.Returned, TemplateAction.Accept, "after the building resubmits")]
    [InlineData(TemplateState.Returned, TemplateAction.Return, "after the building resubmits")]
    [InlineData(TemplateState.Accepted, TemplateAction.Accept, "already accepted")]
    [InlineData(TemplateState.Accepted, TemplateAction.Return, "already accepted")]
    public void Every_illegal_transition_is_refused_with_a_reason(TemplateState from, TemplateAction action, string reason)
    {
        var result = TemplateWorkflow.Apply(from, action, "a comment");
        Assert.False(result.Allowed);
        Assert.Null(result.NewState);
        Assert.Contains(reason, result.Reason);
    }

    [Theory]
    [InlineData(TemplateState.Draft, true)]
    [InlineData(TemplateState.Returned, true)]
    [InlineData(TemplateState.Submitted, false)]
    [InlineData(TemplateState.Accepted, false)]
    public void Only_drafts_and_returned_templates_are_editable(TemplateState state, bool editable) =>
        Assert.Equal(editable, TemplateWorkflow.IsEditable(state));

    [Fact]
    public void Building_template_has_one_item_per_row_and_district_template_covers_district_and_collaborative_functions()
    {
        var building = TemplateWorkflow.BuildingSlots(Balance);
        Assert.Equal(7, building.Count);
        Assert.All(building.Take(6), s => Assert.Equal(BalanceFunction.Building, s.Function));
        Assert.Equal(new ItemSlot(7, BalanceFunction.Collaborative), building[6]);

        var district = TemplateWorkflow.DistrictSlots(Balance);
        Assert.Equal(13, district.Count);
        Assert.Equal(6, district.Count(s => s.Function == BalanceFunction.District));
        Assert.Equal(7, district.Count(s => s.Function == BalanceFunction.Collaborative));
    }

    [Fact]
    public void Completeness_lists_every_gap_by_row()
    {
        var slots = TemplateWorkflow.BuildingSlots(Balance);
        var entries = slots.Select(s => new ItemEntry(s, FunctionStatus.InPlace, "", "")).ToList();
        entries[2] = new ItemEntry(slots[2], null, "", "");
        entries[3] = new ItemEntry(slots[3], FunctionStatus.NeedsToBeCreated, "", "");
        entries[4] = new ItemEntry(slots[4], FunctionStatus.NeedsStrengthening, "Start a newsletter", " ");
        var missing = TemplateWorkflow.MissingForSubmission(Balance, slots, entries);
        Assert.Equal(
        [
            "Row 3 (Goals, strategies, funding): choose a status.",
            "Row 4 (Barriers): name the next action (it is marked “Needs to be created”).",
            "Row 4 (Barriers): say who owns the next action.",
            "Row 5 (Communication): say who owns the next action.",
        ], missing);
        Assert.Empty(TemplateWorkflow.MissingForSubmission(Balance, slots, slots.Select(s => new ItemEntry(s, FunctionStatus.NeedsStrengthening, "Act", "Principal"))));
    }

    [Fact]
    public void Rollup_counts_statuses_per_row_and_templates_without_a_status()
    {
        var rows = BalanceRollup.Count([1, 2],
        [
            (1, FunctionStatus.InPlace), (1, FunctionStatus.InPlace), (1, FunctionStatus.NeedsToBeCreated),
            (2, FunctionStatus.NeedsStrengthening), (2, null),
        ], templates: 3);
        Assert.Equal(new RollupRow(1, 2, 0, 1, 0), rows[0]);
        Assert.Equal(new RollupRow(2, 0, 1, 0, 2), rows[1]);
    }
}
