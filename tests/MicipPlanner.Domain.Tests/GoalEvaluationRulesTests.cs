using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Domain.Tests;

public sealed class GoalEvaluationRulesTests
{
    private static readonly DateOnly AsOf = new(2027, 6, 1);

    private static ActivityDates Dates(string? due, string? done) =>
        new(null, due is null ? null : DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
            done is null ? null : DateOnly.Parse(done, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2027-03-01", "2027-03-01", "on time")] // done on the due day itself
    [InlineData("2027-03-01", "2027-02-27", "on time")]
    [InlineData(null, "2027-02-27", "on time")] // no due date: done is done
    [InlineData("2027-03-01", "2027-03-02", "late")] // a day after
    [InlineData("2027-05-31", null, "not done")] // due the day before the evaluation, not done
    [InlineData(null, null, "not done")]
    [InlineData("2027-06-01", null, "open")] // due on the evaluation date: the team still has the day
    [InlineData("2027-09-01", null, "open")]
    [InlineData("2027-03-01", "2027-06-01", "late")] // done on the evaluation date counts
    [InlineData("2027-03-01", "2027-06-02", "not done")] // a done date after the evaluation date has not happened yet
    public void Each_activity_counts_once_by_its_due_and_done_dates(string? due, string? done, string expected)
    {
        var f = GoalEvaluationRules.Fidelity([Dates(due, done)], AsOf);
        Assert.Equal(1, f.Total);
        var actual = f.OnTime == 1 ? "on time" : f.Late == 1 ? "late" : f.NotDone == 1 ? "not done" : "open";
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("2027-06-29", "2027-06-29")]
    [InlineData("2027-06-30", "2027-06-30")]
    [InlineData("2027-07-01", "2027-06-30")] // after the school year's end the figures speak for its last day
    [InlineData("2028-01-15", "2027-06-30")]
    public void The_figures_speak_for_today_but_never_after_the_year_end(string today, string expected)
    {
        var parse = (string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(parse(expected), GoalEvaluationRules.AsOf(2026, parse(today)));
    }

    [Fact]
    public void Reach_counts_the_involved_buildings_whose_latest_accepted_report_has_an_activity_on_track()
    {
        EvaluatedActivity A(int id, params int[] buildings) => new(id, Dates(null, null), null, false, buildings);
        var reports = new[]
        {
            new ReportedActivity(1, 10, TeamJudgment.OnTrack),
            new ReportedActivity(2, 10, TeamJudgment.OnTrack), // the same building twice counts once
            new ReportedActivity(1, 11, TeamJudgment.AtRisk), // at risk is not in place
            new ReportedActivity(9, 12, TeamJudgment.OnTrack), // another goal's activity
            new ReportedActivity(2, 13, TeamJudgment.OnTrack), // a building not involved
        };
        var reach = GoalEvaluationRules.Reach([A(1, 10, 11), A(2, 10, 12)], [10, 11, 12, 13], reports);
        Assert.Equal(new ReachFigures(3, 1), reach);

        var everywhere = GoalEvaluationRules.Reach([new EvaluatedActivity(1, Dates(null, null), null, true, [])], [10, 11, 12, 13], reports);
        Assert.Equal(new ReachFigures(4, 1), everywhere);
    }

    [Fact]
    public void Readiness_counts_owners_against_people_who_checked_in_and_sums_the_planned_money()
    {
        var activities = new[]
        {
            new EvaluatedActivity(1, Dates(null, null), "ann", true, []),
            new EvaluatedActivity(2, Dates(null, null), "ann", true, []),
            new EvaluatedActivity(3, Dates(null, null), "bo", true, []),
            new EvaluatedActivity(4, Dates(null, null), null, true, []),
        };
        var figures = GoalEvaluationRules.Derive(AsOf, activities, ["ann", "ann", "cy", ""], [("Title I", 12000m), ("title i", 500m), ("", null)], 9000m,
            [], [], [], []);
        Assert.Equal((2, 2, 12500m, (decimal?)9000m), (figures.Readiness.PeopleNamed, figures.Readiness.PeopleWhoCheckedIn, figures.Readiness.PlannedAmount,
            figures.Readiness.AmountUsed));
        Assert.Equal(["Title I"], figures.Readiness.FundingSources);
        Assert.Contains("$12,500 was planned", GoalEvaluationRules.ReadinessText(figures.Readiness), StringComparison.Ordinal);
        Assert.Contains("$9,000 was used", GoalEvaluationRules.ReadinessText(figures.Readiness), StringComparison.Ordinal);
        Assert.Contains("enter the amount used", GoalEvaluationRules.ReadinessText(figures.Readiness with { AmountUsed = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void Impact_reads_the_end_target_from_the_latest_value_by_the_evaluation_date_and_the_run_chart_signal()
    {
        var start = new DateOnly(2026, 9, 1);
        // Ten weeks around 40, then eight weeks above: a long run on the better side.
        var values = Enumerable.Range(0, 18).Select(i => new MeasurePoint(start.AddDays(7 * i), i < 10 ? 40 + i % 2 : 50 + i % 2)).ToList();
        values.Add(new MeasurePoint(AsOf.AddDays(1), 10)); // after the evaluation date: not counted
        var measure = new EvaluatedMeasure("Proficient", MeasureUnit.Percent, BetterDirection.Higher, new MeasureTarget(AsOf, 50), values, []);
        var impact = GoalEvaluationRules.Impact(measure, AsOf);
        Assert.True(impact.MetEndTarget);
        Assert.Equal(MeasureSignal.Better, impact.Signal);

        var lower = GoalEvaluationRules.Impact(measure with { Better = BetterDirection.Lower }, AsOf);
        Assert.False(lower.MetEndTarget);
        Assert.Equal(MeasureSignal.Worse, lower.Signal);

        var few = GoalEvaluationRules.Impact(measure with { Values = values.Take(3).ToList(), EndTarget = null }, AsOf);
        Assert.Null(few.MetEndTarget);
        Assert.Equal(MeasureSignal.TooFewPoints, few.Signal);
    }

    [Fact]
    public void Impact_text_names_each_measure_and_the_rubric_rows_movement()
    {
        var text = GoalEvaluationRules.ImpactText(
            [new MeasureImpact("Proficient", MeasureUnit.Percent, new MeasureTarget(AsOf, 50), new MeasurePoint(AsOf, 47), false, MeasureSignal.NoSignal)],
            [new RubricRowMovement("3 Data use", 2, 3), new RubricRowMovement("5 Family", null, 2)]);
        Assert.Contains("Proficient: end target 50% not met (latest 47%)", text, StringComparison.Ordinal);
        Assert.Contains("Rubric row 3 Data use: level 2 last year, 3 this year.", text, StringComparison.Ordinal);
        Assert.Contains("no consensus last year", text, StringComparison.Ordinal);
        Assert.Equal(1, new RubricRowMovement("x", 2, 3).Change);
        Assert.Null(new RubricRowMovement("x", null, 3).Change);
    }

    [Theory]
    [InlineData(EvaluationDecision.Maintain, true)]
    [InlineData(EvaluationDecision.Revise, true)]
    [InlineData(EvaluationDecision.Discontinue, false)]
    [InlineData(EvaluationDecision.Archive, false)]
    [InlineData(null, false)]
    public void Maintained_and_revised_goals_carry_over(EvaluationDecision? decision, bool carries) =>
        Assert.Equal(carries, GoalEvaluationRules.CarriesOver(decision));
}
