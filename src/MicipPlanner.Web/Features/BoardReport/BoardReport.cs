using MicipPlanner.Domain.Plan;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Plan;

namespace MicipPlanner.Web.Features.BoardReport;

/// <summary>
/// The report for the board of education and the community, read once and written three ways: the print view, the PDF
/// printed from it and the Word document. It is a list of sections, each a record of its own kind; the view and the Word
/// writer each turn one kind of section into headings, paragraphs, tables and charts, so a new kind of section is one more
/// record, one more case in <c>Report.cshtml</c> and one more in <see cref="BoardReportDocx"/>.
/// </summary>
/// <param name="ForPdf">Printing: the styles are inlined and the toolbar left out.</param>
public sealed record BoardReportModel(CycleContext Cycle, string DistrictName, string SchoolYear, DateOnly Prepared,
    IReadOnlyList<BoardReportSection> Sections, string? InlineStyles = null)
{
    public bool ForPdf => InlineStyles is not null;

    public string Title => $"Continuous improvement report {SchoolYear}";

    /// <summary>Every measure's chart in the order the report shows them: the Word document's pictures are taken in this order.</summary>
    public IEnumerable<BoardMeasure> ChartedMeasures =>
        Sections.OfType<BoardGoalsSection>().SelectMany(s => s.Goals).SelectMany(g => g.Measures).Where(m => m.Chart is not null);
}

/// <summary>One section of the report, under a first-level heading.</summary>
public abstract record BoardReportSection(string Id, string Heading, string Introduction);

/// <summary>The year's goals and their state, each with its measures' targets and run charts.</summary>
public sealed record BoardGoalsSection(IReadOnlyList<BoardGoal> Goals)
    : BoardReportSection("goals", "The year's goals",
        "Each goal the district set for the year, where it stands, how far its activities have come, and the measures that show whether it is working. A run chart shows each value in date order with its median; a run of points on one side of the median signals a real shift rather than chance.");

/// <param name="RubricRows">The rubric rows the goal serves, as "3. Label".</param>
public sealed record BoardGoal(int Id, string Statement, GoalState State, IReadOnlyList<string> RubricRows, int Strategies, int Activities,
    int ActivitiesDone, int ActivitiesOverdue, IReadOnlyList<BoardMeasure> Measures)
{
    public string StateText => State switch
    {
        GoalState.Maintenance => "In maintenance",
        GoalState.Archived => "Archived",
        _ => "Active",
    };
}

/// <param name="Of">What the measure belongs to: the goal's end target, or the strategy or activity it is an interim measure of.</param>
/// <param name="Latest">The latest district-wide value, formatted, or null before the first.</param>
/// <param name="TargetCheck">The sentence the plan page says about the measure's targets.</param>
public sealed record BoardMeasure(int Id, string Name, string Of, string? Baseline, string? EndTarget, string? Latest, string TargetCheck,
    MeasureChartView? Chart)
{
    /// <summary>The chart's text alternative: what it shows, in words, for the PDF's figure and the Word picture's description.</summary>
    public string ChartDescription => Chart is null ? ""
        : $"Run chart of {Name}: {Chart.Points.Count} district-wide values"
          + (Latest is null ? "" : $", latest {Latest}")
          + (Baseline is null ? "" : $", baseline {Baseline}")
          + (EndTarget is null ? "" : $", end target {EndTarget}")
          + ". " + (Chart.Findings.Any() ? string.Join(" ", Chart.Findings.Select(f => f.Sentence)) : "No signal of a shift yet.");
}

/// <summary>What the year's PDSA cycles (small tests of change) taught: change idea, prediction, result and decision.</summary>
public sealed record BoardPdsaSection(IReadOnlyList<BoardPdsa> Cycles)
    : BoardReportSection("pdsa", "What our tests of change taught us",
        "Plan-Do-Study-Act cycles are small tests of a change idea: the team writes down what it predicts before trying the change, then compares the result with the prediction and decides to adopt, adapt or abandon the idea.");

public sealed record BoardPdsa(string Goal, string Activity, string ChangeIdea, string Prediction, string Result, string? Outcome, string Stage,
    string? Decision, string DecisionNote, string Dates);

/// <summary>The year-end evaluation's decision on each goal, with the team's rationale (ADR 26).</summary>
public sealed record BoardEvaluationSection(IReadOnlyList<BoardEvaluation> Goals)
    : BoardReportSection("evaluation", "What we decided at the end of the year",
        "At the end of the year the team evaluates each goal: its readiness and capacity, how faithfully the work was done, how far it reached, and its impact. It then decides to maintain the goal, revise it, discontinue it or archive it; maintained and revised goals carry into next year's plan.");

/// <param name="Decision">The decision's name, or null while the goal is not evaluated yet.</param>
public sealed record BoardEvaluation(string Goal, string? Decision, string Rationale);

/// <summary>The district's consensus level on each rubric row, school year by school year, up to this cycle's.</summary>
public sealed record BoardRubricSection(IReadOnlyList<string> Years, IReadOnlyList<BoardRubricRow> Rows)
    : BoardReportSection("rubric", "Movement on the rubric across years",
        "Each year the district team agrees on where it stands on each row of the MICIP rubric for collaboration. A higher level is further along, toward more collaborative practice.");

/// <param name="Levels">Per school year (in <see cref="BoardRubricSection.Years"/> order) the consensus as "3. Level name", or null.</param>
public sealed record BoardRubricRow(string Label, IReadOnlyList<string?> Levels);
