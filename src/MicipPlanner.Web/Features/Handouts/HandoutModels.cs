using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;

namespace MicipPlanner.Web.Features.Handouts;

/// <summary>One printable handout of the workshop.</summary>
public sealed record HandoutInfo(string Name, string Title, string ShortTitle, bool Landscape, string Description, bool DistrictWide);

/// <summary>The handouts in workshop order (the order of the packet).</summary>
public static class HandoutCatalog
{
    public static readonly IReadOnlyList<HandoutInfo> All =
    [
        new("facilitator-guide", "Facilitator Guide", "Facilitator guide", false,
            "Agenda with activity times, materials to print, facilitator readiness, the MICIP mindset and optional reading.", true),
        new("handout-1", "Handout 1: The Importance of a District-led Continuous Improvement Process", "Handout 1", false,
            "Introduction, learner outcomes, the unintended consequences, and the Activity 1 prompts with room to write.", true),
        new("handout-2", "Handout 2: Shift from a Culture of Isolation to a Culture of Collaboration", "Handout 2", true,
            "The rubric (six rows, four levels) with evidence lines and the discussion questions.", true),
        new("handout-3", "Handout 3: Maintaining Balance in the Continuous Improvement Process", "Handout 3", true,
            "The Activity 3 questions and the Maintaining Balance table of building, collaborative and district functions.", true),
        new("building-template", "Maintaining Balance: Building Action Planning Template", "Building template", true,
            "For each building function: status, evidence, next action, owner and target date.", false),
        new("district-template", "Maintaining Balance: District Action Planning Template", "District template", true,
            "For each district and collaborative function: status, evidence, next action, owner and date, with the building roll-up.", true),
    ];

    public static HandoutInfo? Find(string? name) => All.FirstOrDefault(h => h.Name == name);

    /// <summary>The PDSA worksheet: a planning tool of the year, not a workshop handout, so it stays out of the packet.</summary>
    public static readonly HandoutInfo PdsaWorksheet = new("pdsa-worksheet", "PDSA Worksheet: Plan, Do, Study, Act", "PDSA worksheet", false,
        "One Plan-Do-Study-Act cycle on a page: the change, question and prediction, what happened, the result against the prediction, and the decision.", false);

    /// <summary>The blank documents on /handouts: the workshop handouts, then the planning tools.</summary>
    public static readonly IReadOnlyList<HandoutInfo> Blank = [.. All, PdsaWorksheet];

    public static HandoutInfo? FindBlank(string? name) => Blank.FirstOrDefault(h => h.Name == name);
}

/// <summary>Who the filled document is for, printed on the cover and in the footer.</summary>
public sealed record FilledHeader(int DistrictId, int CycleId, string DistrictName, string SchoolYear, IReadOnlyList<string> Facilitators, string PrintedOn);

/// <summary>A document to print: one or more sections (handouts), blank or filled for a district cycle.</summary>
public sealed record HandoutDocument(
    string Title,
    ToolkitDefinition Toolkit,
    IReadOnlyList<HandoutSection> Sections,
    FilledHeader? Filled,
    string? PdfUrl,
    string BackUrl,
    string BackText)
{
    /// <summary>Set when the HTML is made for the PDF printer: styles inlined, no toolbar.</summary>
    public string? InlineStyles { get; init; }
    public bool ForPdf => InlineStyles is not null;
    public bool HasCover { get; init; }
}

/// <summary>One handout in a document; <see cref="Data"/> is null for the blank version.</summary>
public sealed record HandoutSection(HandoutInfo Info, object? Data)
{
    public string Footer(FilledHeader? filled) => filled is null ? Info.ShortTitle : $"{Info.ShortTitle} · {filled.DistrictName} · {filled.SchoolYear}";
}

/// <summary>What a section partial receives.</summary>
public sealed record SectionView(HandoutDocument Document, HandoutSection Section, int Index)
{
    public ToolkitDefinition Toolkit => Document.Toolkit;
    public string Id => $"sec-{Index}";
}

public sealed record Activity1Data(IReadOnlyList<(KeyedText Consequence, IReadOnlyList<string> Examples)> Consequences,
    IReadOnlyList<(int Outcome, string Person, string Why)> Reflections);

public sealed record RubricRowData(RubricRow Row, int? ConsensusLevel, string Rationale, IReadOnlyList<GroupRating> Groups);
public sealed record GroupRating(string Group, int? Level, string Evidence);

public sealed record RubricData(IReadOnlyList<RubricRowData> Rows, IReadOnlyList<string> GroupNames,
    IReadOnlyList<(KeyedText Question, string Text)> Discussion, bool Finalized);

public sealed record BalanceAnswers(string Buildings, string Districts, string Common);

public sealed record TemplateItemData(BalanceRow Row, BalanceFunction Function, string FunctionText, FunctionStatus? Status,
    string Evidence, string NextAction, string Owner, DateOnly? TargetDate, RollupRow? Rollup);

public sealed record TemplateData(string Name, TemplateState? State, IReadOnlyList<TemplateItemData> Items, BalanceAnswers Answers);

public sealed record BuildingTemplatesData(IReadOnlyList<TemplateData> Templates);

public sealed record DistrictTemplateData(TemplateData Template, Balance.RollupQuery.Result Rollup);

public sealed record ActionLine(string Title, string Owner, DateOnly? Due, ActionStatus Status, bool Overdue);

public sealed record TrendData(IReadOnlyList<string> SchoolYears, IReadOnlyList<(string Label, IReadOnlyList<int?> Levels)> Rows);

public sealed record ReportData(RubricData Rubric, TrendData Trend, Balance.RollupQuery.Result Rollup, IReadOnlyList<ActionLine> OpenActions);

/// <summary>The list of a cycle's filled handouts.</summary>
public sealed record CycleHandoutsModel(Districts.Access.CycleContext Cycle, IReadOnlyList<HandoutInfo> Handouts, IReadOnlyList<(int Id, string Name)> Buildings, bool DistrictWide);

/// <summary>Small HTML pieces shared by the print views.</summary>
public static class PrintHtml
{
    /// <summary>Ruled lines to write on (hidden from assistive technology: they carry no content).</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Lines(int count) =>
        new Microsoft.AspNetCore.Html.HtmlString("<div class=\"lines\" aria-hidden=\"true\">" + string.Concat(Enumerable.Repeat("<span></span>", count)) + "</div>");

    public static string LevelName(ToolkitDefinition toolkit, int level) => toolkit.Rubric.Levels[level - 1].FullName;

    public static string Date(DateOnly? date) => date?.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}

/// <summary>One template table (a building's or the district's).</summary>
public sealed record TemplateTableView(ToolkitDefinition Toolkit, TemplateData Template, bool Filled, bool ShowRollup);

/// <summary>A filled PDSA worksheet: the cycle with the activity and goal it tests, and the names of its linked measures.</summary>
public sealed record PdsaWorksheet(string Activity, string Goal, int Number, MicipPlanner.Domain.Plan.PdsaCycle Cycle, IReadOnlyList<string> Measures);
