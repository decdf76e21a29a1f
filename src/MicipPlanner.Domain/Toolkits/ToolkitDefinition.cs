namespace MicipPlanner.Domain.Toolkits;

/// <summary>
/// A MICIP toolkit as data: every text the product shows or prints for it. Loaded from an embedded
/// JSON file and validated at start-up; saved work records <see cref="Key"/> and <see cref="Version"/>.
/// </summary>
public sealed record ToolkitDefinition
{
    public required string Key { get; init; }
    public required int Version { get; init; }
    public required string Title { get; init; }
    public required string Credit { get; init; }
    public required string Introduction { get; init; }
    public required IReadOnlyList<string> LearnerOutcomes { get; init; }
    public required ImportanceSection Importance { get; init; }
    public required IReadOnlyList<ToolkitActivity> Activities { get; init; }
    public required RubricDefinition Rubric { get; init; }
    public required BalanceDefinition Balance { get; init; }
    public required FacilitatorReadiness Facilitator { get; init; }

    public RubricRow? FindRubricRow(string key) => Rubric.Rows.FirstOrDefault(r => r.Key == key);
    public ToolkitActivity? FindActivity(int number) => Activities.FirstOrDefault(a => a.Number == number);
}

/// <summary>Section One: "The Importance of a District-led Continuous Improvement Process".</summary>
public sealed record ImportanceSection
{
    public required string Heading { get; init; }
    public required IReadOnlyList<string> Paragraphs { get; init; }
    public required IReadOnlyList<KeyedText> UnintendedConsequences { get; init; }
}

public sealed record KeyedText
{
    public required string Key { get; init; }
    public required string Text { get; init; }
}

public sealed record ToolkitActivity
{
    public required int Number { get; init; }
    public required string Title { get; init; }
    public required string Handout { get; init; }
    public required int MinMinutes { get; init; }
    public required int MaxMinutes { get; init; }
    public required IReadOnlyList<string> Steps { get; init; }

    public string TimeText => MinMinutes == MaxMinutes ? $"{MinMinutes} minutes" : $"{MinMinutes}–{MaxMinutes} minutes";
}

public sealed record RubricDefinition
{
    public required string Heading { get; init; }
    public required string Instructions { get; init; }

    /// <summary>Columns left to right: Beginning (Individualistic) … Accomplished (Collaborative).</summary>
    public required IReadOnlyList<RubricLevelDefinition> Levels { get; init; }
    public required IReadOnlyList<RubricRow> Rows { get; init; }
    public required IReadOnlyList<KeyedText> DiscussionQuestions { get; init; }
}

public sealed record RubricLevelDefinition
{
    /// <summary>1 (Beginning) to 4 (Accomplished).</summary>
    public required int Level { get; init; }
    public required string Name { get; init; }

    /// <summary>Parenthesised qualifier, e.g. "Individualistic"; empty when none.</summary>
    public string Qualifier { get; init; } = "";

    public string FullName => Qualifier.Length == 0 ? Name : $"{Name} ({Qualifier})";
}

public sealed record RubricRow
{
    public required string Key { get; init; }
    public required int Number { get; init; }

    /// <summary>Short name for screens; not in the toolkit itself.</summary>
    public required string Label { get; init; }

    /// <summary>Descriptor per level, index 0 = level 1 (Beginning).</summary>
    public required IReadOnlyList<string> Descriptors { get; init; }

    public string Descriptor(int level) => Descriptors[level - 1];
}

public sealed record BalanceDefinition
{
    public required string Heading { get; init; }
    public required IReadOnlyList<KeyedText> Questions { get; init; }
    public required IReadOnlyList<BalanceRow> Rows { get; init; }
    public required string ClosingStatement { get; init; }
    public required IReadOnlyList<string> DistrictSystems { get; init; }
}

public sealed record BalanceRow
{
    public required int Number { get; init; }
    public required string Label { get; init; }

    /// <summary>Empty where the toolkit has no function in that column (e.g. row 7, building).</summary>
    public string BuildingFunction { get; init; } = "";
    public string CollaborativeFunction { get; init; } = "";
    public string DistrictFunction { get; init; } = "";

    /// <summary>Bullet points that follow the collaborative function's first sentence.</summary>
    public IReadOnlyList<string> CollaborativeBullets { get; init; } = [];

    public string TextFor(Balance.BalanceFunction function) => function switch
    {
        Balance.BalanceFunction.Building => BuildingFunction,
        Balance.BalanceFunction.Collaborative => CollaborativeFunction,
        Balance.BalanceFunction.District => DistrictFunction,
        _ => "",
    };
}

public sealed record FacilitatorReadiness
{
    public required string Introduction { get; init; }
    public required IReadOnlyList<string> Mindset { get; init; }
    public required string AdditionalConsiderations { get; init; }
    public required IReadOnlyList<ReadingItem> OptionalReading { get; init; }
    public required IReadOnlyList<AgendaItem> Agenda { get; init; }
}

public sealed record ReadingItem
{
    public required string Title { get; init; }
    public required string Author { get; init; }
    public string Note { get; init; } = "";
}

public sealed record AgendaItem
{
    public required string Part { get; init; }
    public required string Content { get; init; }

    /// <summary>Empty when the toolkit gives no time.</summary>
    public string Time { get; init; } = "";
}
