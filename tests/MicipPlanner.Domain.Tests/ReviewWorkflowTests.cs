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
}
