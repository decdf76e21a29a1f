using System.Reflection;
using System.Text.Json;

namespace MicipPlanner.Domain.Toolkits;

/// <summary>All toolkit definitions embedded in this assembly, validated when loaded.</summary>
public sealed class ToolkitCatalog
{
    public const string DefaultKey = "isolation-to-collaboration";
    private const string ResourcePrefix = "Toolkits.";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly List<ToolkitDefinition> _all;

    public ToolkitCatalog(IEnumerable<ToolkitDefinition> definitions) => _all = definitions.ToList();

    public IReadOnlyList<ToolkitDefinition> All => _all;

    /// <summary>Every <c>Toolkits/*.json</c> file embedded in the Domain assembly.</summary>
    public static ToolkitCatalog LoadEmbedded()
    {
        var assembly = typeof(ToolkitCatalog).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var streams = names.Select(n => (Name: n[ResourcePrefix.Length..], Json: Open(assembly, n))).ToList();
        try
        {
            return Load(streams);
        }
        finally
        {
            foreach (var (_, stream) in streams) stream.Dispose();
        }
    }

    /// <summary>Parses and validates definition files; throws <see cref="ToolkitDefinitionException"/> naming the file and field.</summary>
    public static ToolkitCatalog Load(IEnumerable<(string Name, Stream Json)> files)
    {
        var definitions = new List<ToolkitDefinition>();
        foreach (var (name, json) in files)
        {
            ToolkitDefinition? definition;
            try
            {
                definition = JsonSerializer.Deserialize<ToolkitDefinition>(json, JsonOptions);
            }
            catch (JsonException ex)
            {
                var where = string.IsNullOrEmpty(ex.Path) ? "" : $" at {ex.Path.TrimStart('$', '.')}";
                throw new ToolkitDefinitionException($"{name}: the definition cannot be read{where}: {ex.Message}");
            }
            if (definition is null) throw new ToolkitDefinitionException($"{name}: the file is empty.");
            ToolkitValidator.Validate(name, definition);
            if (definitions.Any(d => d.Key == definition.Key && d.Version == definition.Version))
                throw new ToolkitDefinitionException($"{name}: key '{definition.Key}' version {definition.Version} is defined twice.");
            definitions.Add(definition);
        }
        if (definitions.Count == 0) throw new ToolkitDefinitionException("No toolkit definition is installed.");
        return new ToolkitCatalog(definitions);
    }

    public ToolkitDefinition Get(string key, int version) =>
        _all.FirstOrDefault(t => t.Key == key && t.Version == version)
        ?? throw new KeyNotFoundException($"Toolkit '{key}' version {version} is not installed.");

    public ToolkitDefinition Latest(string key) =>
        _all.Where(t => t.Key == key).MaxBy(t => t.Version)
        ?? throw new KeyNotFoundException($"Toolkit '{key}' is not installed.");

    public ToolkitDefinition Default => Latest(DefaultKey);

    private static Stream Open(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new ToolkitDefinitionException($"{name}: resource missing.");
}

/// <summary>A toolkit definition file is broken; the message names the file and the bad field.</summary>
public sealed class ToolkitDefinitionException(string message) : Exception(message);
