namespace MicipPlanner.Domain.Toolkits;

/// <summary>All toolkit definitions embedded in this assembly, validated when loaded.</summary>
public sealed class ToolkitCatalog
{
    public const string DefaultKey = "isolation-to-collaboration";

    private readonly List<ToolkitDefinition> _all;

    public ToolkitCatalog(IEnumerable<ToolkitDefinition> definitions) => _all = definitions.ToList();

    public IReadOnlyList<ToolkitDefinition> All => _all;

    public static ToolkitCatalog LoadEmbedded() => throw new NotImplementedException();

    public ToolkitDefinition Get(string key, int version) =>
        _all.FirstOrDefault(t => t.Key == key && t.Version == version)
        ?? throw new KeyNotFoundException($"Toolkit '{key}' version {version} is not installed.");

    public ToolkitDefinition Latest(string key) =>
        _all.Where(t => t.Key == key).MaxBy(t => t.Version)
        ?? throw new KeyNotFoundException($"Toolkit '{key}' is not installed.");

    public ToolkitDefinition Default => Latest(DefaultKey);
}

/// <summary>A toolkit definition file is broken; the message names the file and the bad field.</summary>
public sealed class ToolkitDefinitionException(string message) : Exception(message);
