namespace MicipPlanner.Infrastructure.Data;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";

    /// <summary>"Sqlite" (default, embedded file) or "SqlServer".</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Folder for the SQLite file and other local data; relative paths are under the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
