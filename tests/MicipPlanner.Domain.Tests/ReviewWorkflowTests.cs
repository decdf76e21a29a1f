using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;

namespace MicipPlanner.Domain.Tests;

public sealed class ReviewWorkflowTests
{
    [Fact]
    public void Templates_and_monitoring_reports_follow_the_same_rules_each_named_in_its_messages()
    {
        foreach (var from in Enum.GetValues<TemplateState>())
        {
            foreach (var action in Enum.GetValues<TemplateAction>())
            {
                foreach (var comment in new[] { "", "Add owners" })
                {
                    var template = ReviewWorkflow.Apply(ReviewedRecord.Template, from, action, comment);
                    var report = ReviewWorkflow.Apply(ReviewedRecord.MonitoringReport, from, action, comment);
                    Assert.Equal(template.Allowed, report.Allowed);
                    Assert.Equal(template.NewState, report.NewState);
                    Assert.Equal(template.Reason?.Replace("template", "report"), report.Reason);
                    Assert.Equal(template, TemplateWorkflow.Apply(from, action, comment));
                }
            }
        }
        Assert.Equal("Say what the building should change: a comment is required to return a report.",
            ReviewWorkflow.Apply(ReviewedRecord.MonitoringReport, TemplateState.Submitted, TemplateAction.Return, " ").Reason);
        Assert.True(ReviewWorkflow.IsEditable(TemplateState.Returned));
        Assert.False(ReviewWorkflow.IsEditable(TemplateState.Submitted));
    }

    [Fact]
    public void A_report_is_complete_with_every_value_every_activity_status_and_recommendations()
    {
        Assert.Empty(BuildingReportRules.MissingForSubmission([("Staff survey", 40m)], [("Coaching", TeamJudgment.AtRisk)], "None"));
        var missing = BuildingReportRules.MissingForSubmission([("Staff survey", null), ("Minutes shared", 70m)], [("Coaching", null)], "  ");
        Assert.Equal(
        [
            "Enter the building's value of “Staff survey”.",
            "Say how “Coaching” is going.",
            "Write the building's recommendations to the district CI team (“None” is an answer).",
        ], missing);
    }

    [Fact]
    public void An_accepted_reports_values_are_dated_by_the_due_date_or_the_earlier_day_it_was_submitted()
    {
        var due = new DateOnly(2027, 1, 29);
        Assert.Equal(due, BuildingReportRules.ValueDate(due, new DateOnly(2027, 2, 3)));
        Assert.Equal(due, BuildingReportRules.ValueDate(due, due));
        Assert.Equal(new DateOnly(2027, 1, 20), BuildingReportRules.ValueDate(due, new DateOnly(2027, 1, 20)));
    }

    [Fact]
    public void A_period_is_removable_only_while_its_reports_are_drafts()
    {
        Assert.True(BuildingReportRules.PeriodRemovable([]));
        Assert.True(BuildingReportRules.PeriodRemovable([TemplateState.Draft, TemplateState.Draft]));
        Assert.False(BuildingReportRules.PeriodRemovable([TemplateState.Draft, TemplateState.Submitted]));
        Assert.False(BuildingReportRules.PeriodRemovable([TemplateState.Returned]));
        Assert.False(BuildingReportRules.PeriodRemovable([TemplateState.Accepted]));
    }
}
