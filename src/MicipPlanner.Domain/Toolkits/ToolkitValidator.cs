using System.Text.RegularExpressions;

namespace MicipPlanner.Domain.Toolkits;

/// <summary>Checks a toolkit definition before the app uses it; the first problem is reported with its field path.</summary>
public static partial class ToolkitValidator
{
    public static void Validate(string file, ToolkitDefinition t)
    {
        void Fail(string path, string problem) => throw new ToolkitDefinitionException($"{file}: {path} {problem}");
        void Text(string path, string? value) { if (string.IsNullOrWhiteSpace(value)) Fail(path, "must not be empty"); }

        if (!KeyPattern().IsMatch(t.Key ?? "")) Fail("key", "must be lower-case words joined by hyphens");
        if (t.Version < 1) Fail("version", "must be 1 or more");
        Text("title", t.Title);
        Text("credit", t.Credit);
        Text("introduction", t.Introduction);

        if (t.LearnerOutcomes.Count == 0) Fail("learnerOutcomes", "must list at least one outcome");
        for (var i = 0; i < t.LearnerOutcomes.Count; i++) Text($"learnerOutcomes[{i}]", t.LearnerOutcomes[i]);

        Text("importance.heading", t.Importance.Heading);
        for (var i = 0; i < t.Importance.Paragraphs.Count; i++) Text($"importance.paragraphs[{i}]", t.Importance.Paragraphs[i]);
        KeyedTexts("importance.unintendedConsequences", t.Importance.UnintendedConsequences, Fail);

        for (var i = 0; i < t.Activities.Count; i++)
        {
            var a = t.Activities[i];
            var path = $"activities[{i}]";
            if (a.Number != i + 1) Fail($"{path}.number", $"must be {i + 1} (activities are numbered in order)");
            Text($"{path}.title", a.Title);
            if (a.MinMinutes < 1) Fail($"{path}.minMinutes", "must be at least 1");
            if (a.MaxMinutes < a.MinMinutes) Fail($"{path}.maxMinutes", "must not be less than minMinutes");
            if (a.Steps.Count == 0) Fail($"{path}.steps", "must list at least one step");
        }

        var rubric = t.Rubric;
        Text("rubric.heading", rubric.Heading);
        Text("rubric.instructions", rubric.Instructions);
        if (rubric.Levels.Count < 2) Fail("rubric.levels", "must have at least two levels");
        for (var i = 0; i < rubric.Levels.Count; i++)
        {
            if (rubric.Levels[i].Level != i + 1) Fail($"rubric.levels[{i}].level", $"must be {i + 1} (levels are numbered left to right)");
            Text($"rubric.levels[{i}].name", rubric.Levels[i].Name);
        }
        if (rubric.Rows.Count == 0) Fail("rubric.rows", "must have at least one row");
        var rowKeys = new HashSet<string>();
        for (var i = 0; i < rubric.Rows.Count; i++)
        {
            var row = rubric.Rows[i];
            var path = $"rubric.rows[{i}]";
            if (!KeyPattern().IsMatch(row.Key ?? "")) Fail($"{path}.key", "must be lower-case words joined by hyphens");
            if (!rowKeys.Add(row.Key!)) Fail($"{path}.key", $"'{row.Key}' is used by another row");
            if (row.Number != i + 1) Fail($"{path}.number", $"must be {i + 1}");
            Text($"{path}.label", row.Label);
            if (row.Descriptors.Count != rubric.Levels.Count)
                Fail($"{path}.descriptors", $"must have {rubric.Levels.Count} entries, one per level (found {row.Descriptors.Count})");
            for (var d = 0; d < row.Descriptors.Count; d++) Text($"{path}.descriptors[{d}]", row.Descriptors[d]);
        }
        KeyedTexts("rubric.discussionQuestions", rubric.DiscussionQuestions, Fail);

        var balance = t.Balance;
        Text("balance.heading", balance.Heading);
        KeyedTexts("balance.questions", balance.Questions, Fail);
        if (balance.Rows.Count == 0) Fail("balance.rows", "must have at least one row");
        for (var i = 0; i < balance.Rows.Count; i++)
        {
            var row = balance.Rows[i];
            var path = $"balance.rows[{i}]";
            if (row.Number != i + 1) Fail($"{path}.number", $"must be {i + 1}");
            Text($"{path}.label", row.Label);
            if (string.IsNullOrWhiteSpace(row.BuildingFunction) && string.IsNullOrWhiteSpace(row.CollaborativeFunction)
                && string.IsNullOrWhiteSpace(row.DistrictFunction))
                Fail(path, "must have at least one function text (building, collaborative or district)");
        }
        Text("balance.closingStatement", balance.ClosingStatement);

        Text("facilitator.introduction", t.Facilitator.Introduction);
        if (t.Facilitator.Mindset.Count == 0) Fail("facilitator.mindset", "must list at least one point");
        for (var i = 0; i < t.Facilitator.OptionalReading.Count; i++)
            Text($"facilitator.optionalReading[{i}].title", t.Facilitator.OptionalReading[i].Title);
        for (var i = 0; i < t.Facilitator.Agenda.Count; i++)
            Text($"facilitator.agenda[{i}].part", t.Facilitator.Agenda[i].Part);
    }

    private static void KeyedTexts(string path, IReadOnlyList<KeyedText> items, Action<string, string> fail)
    {
        if (items.Count == 0) fail(path, "must have at least one entry");
        var keys = new HashSet<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!KeyPattern().IsMatch(items[i].Key ?? "")) fail($"{path}[{i}].key", "must be lower-case words joined by hyphens");
            if (!keys.Add(items[i].Key!)) fail($"{path}[{i}].key", $"'{items[i].Key}' is used twice");
            if (string.IsNullOrWhiteSpace(items[i].Text)) fail($"{path}[{i}].text", "must not be empty");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KeyPattern();
}
