using System.Text;
using System.Text.Json.Nodes;
using MicipPlanner.Domain.Toolkits;

namespace MicipPlanner.Domain.Tests;

public sealed class ToolkitDefinitionTests
{
    private static readonly ToolkitDefinition Toolkit = ToolkitCatalog.LoadEmbedded().Default;

    [Fact]
    public void Embedded_catalog_holds_the_isolation_to_collaboration_toolkit_version_1()
    {
        var catalog = ToolkitCatalog.LoadEmbedded();
        Assert.Equal("isolation-to-collaboration", catalog.Default.Key);
        Assert.Equal(1, catalog.Default.Version);
        Assert.Same(catalog.Default, catalog.Get("isolation-to-collaboration", 1));
        Assert.Throws<KeyNotFoundException>(() => catalog.Get("isolation-to-collaboration", 99));
    }

    [Fact]
    public void Rubric_has_four_levels_left_to_right_and_six_rows_of_four_descriptors()
    {
        Assert.Equal(["Beginning (Individualistic)", "Developing", "Evolving", "Accomplished (Collaborative)"],
            Toolkit.Rubric.Levels.Select(l => l.FullName));
        Assert.Equal(["vision", "policies", "routines", "goal-setting", "plans", "decisions"], Toolkit.Rubric.Rows.Select(r => r.Key));
        Assert.All(Toolkit.Rubric.Rows, r => Assert.Equal(4, r.Descriptors.Count));
    }

    [Theory]
    [InlineData("routines", 2, "Collaborative routines are vague.")]
    [InlineData("routines", 1, "District collaborative routines are disjointed or non-existent.")]
    [InlineData("vision", 1, "Every school has its own vision, mission, and beliefs. District vision, mission, and beliefs are not visible in buildings and do not impact work.")]
    [InlineData("policies", 3, "Policies and structures outline the role of individuals but there is a lack of clarity regarding expectations/accountability.")]
    [InlineData("plans", 1, "Schools develop plans and the district simply combines all school plans to build the district portfolio.")]
    [InlineData("decisions", 4, "Decision-makers with varied perspectives are specifically invited and welcomed to the team, and decisions represent a consensus of the various perspectives.")]
    public void Descriptors_are_the_toolkit_text_verbatim(string rowKey, int level, string expected) =>
        Assert.Equal(expected, Toolkit.FindRubricRow(rowKey)!.Descriptor(level));

    [Fact]
    public void Every_descriptor_appears_verbatim_in_the_toolkit_content_page_when_it_is_available()
    {
        var page = FindToolkitPage();
        if (page is null)
        {
            // Outside a checkout with shared/ beside it, check the count and that no text was left blank.
            Assert.Equal(24, Toolkit.Rubric.Rows.Sum(r => r.Descriptors.Count(d => d.Length > 20)));
            return;
        }
        var text = File.ReadAllText(page);
        foreach (var row in Toolkit.Rubric.Rows)
            foreach (var descriptor in row.Descriptors)
                Assert.Contains(descriptor, text);
        foreach (var row in Toolkit.Balance.Rows)
        {
            if (row.BuildingFunction.Length > 0) Assert.Contains(row.BuildingFunction, text);
            if (row.DistrictFunction.Length > 0) Assert.Contains(row.DistrictFunction, text);
            Assert.Contains(row.CollaborativeFunction, text);
        }
    }

    [Fact]
    public void Maintaining_balance_has_seven_rows_and_the_closing_statement()
    {
        var rows = Toolkit.Balance.Rows;
        Assert.Equal(7, rows.Count);
        Assert.Equal("Implement strategies to address building-based barriers.", rows[3].BuildingFunction);
        Assert.Equal("Implement district strategies to address barriers.", rows[3].DistrictFunction);
        Assert.Equal("", rows[6].BuildingFunction);
        Assert.Equal("", rows[6].DistrictFunction);
        Assert.Equal("Evaluate goals based on district-wide and building data.", rows[6].CollaborativeFunction);
        Assert.Equal(4, rows[0].CollaborativeBullets.Count);
        Assert.Equal("District leadership and school teams are fully accountable to each other and share responsibility for plan implementation.",
            Toolkit.Balance.ClosingStatement);
        Assert.Equal(["buildings", "districts", "common"], Toolkit.Balance.Questions.Select(q => q.Key));
        Assert.Equal(10, Toolkit.Balance.DistrictSystems.Count);
    }

    [Fact]
    public void Activities_outcomes_questions_and_consequences_match_the_toolkit()
    {
        Assert.Equal(3, Toolkit.LearnerOutcomes.Count);
        Assert.Equal(6, Toolkit.Importance.UnintendedConsequences.Count);
        Assert.Equal(["causal-theories", "barriers", "begin-shift", "maintain-shift"], Toolkit.Rubric.DiscussionQuestions.Select(q => q.Key));
        Assert.Equal(["20–30 minutes", "20–25 minutes", "45 minutes"], Toolkit.Activities.Select(a => a.TimeText));
        Assert.Equal(4, Toolkit.Facilitator.Mindset.Count);
        Assert.Equal(4, Toolkit.Facilitator.OptionalReading.Count);
        Assert.Contains("Michigan Department of Education", Toolkit.Credit);
    }

    [Fact]
    public void A_row_with_three_descriptors_is_refused_naming_the_field()
    {
        var json = Mutate(root => root["rubric"]!["rows"]![2]!["descriptors"]!.AsArray().RemoveAt(3));
        var error = Assert.Throws<ToolkitDefinitionException>(() => Load(json));
        Assert.Contains("broken.json", error.Message);
        Assert.Contains("rubric.rows[2].descriptors", error.Message);
        Assert.Contains("4 entries", error.Message);
    }

    [Fact]
    public void A_duplicate_row_key_is_refused()
    {
        var json = Mutate(root => root["rubric"]!["rows"]![1]!["key"] = "vision");
        var error = Assert.Throws<ToolkitDefinitionException>(() => Load(json));
        Assert.Contains("rubric.rows[1].key", error.Message);
    }

    [Fact]
    public void A_missing_required_field_is_refused_naming_the_file()
    {
        var json = Mutate(root => root.AsObject().Remove("balance"));
        var error = Assert.Throws<ToolkitDefinitionException>(() => Load(json));
        Assert.Contains("broken.json", error.Message);
        Assert.Contains("balance", error.Message);
    }

    [Fact]
    public void Broken_json_is_refused_with_the_file_name()
    {
        var error = Assert.Throws<ToolkitDefinitionException>(() => Load("{ \"key\": \"x\", "));
        Assert.StartsWith("broken.json:", error.Message);
    }

    [Fact]
    public void A_second_toolkit_file_is_picked_up_without_code_changes()
    {
        var second = Mutate(root => { root["key"] = "another-toolkit"; root["version"] = 2; });
        var catalog = ToolkitCatalog.Load([("a.json", Stream(Original())), ("b.json", Stream(second))]);
        Assert.Equal(2, catalog.All.Count);
        Assert.Equal(2, catalog.Latest("another-toolkit").Version);
    }

    private static ToolkitCatalog Load(string json) => ToolkitCatalog.Load([("broken.json", Stream(json))]);

    private static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    private static string Original()
    {
        using var stream = typeof(ToolkitCatalog).Assembly.GetManifestResourceStream("Toolkits.isolation-to-collaboration.v1.json")!;
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Mutate(Action<JsonNode> change)
    {
        var root = JsonNode.Parse(Original())!;
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The toolkit content page sits in shared/ beside the repository checkout.</summary>
    private static string? FindToolkitPage()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "micip-toolkit.md");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
