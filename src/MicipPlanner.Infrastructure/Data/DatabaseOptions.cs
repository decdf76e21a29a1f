namespace MicipPlanner.Infrastructure.Data;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
    public const string PostgreSql = "PostgreSQL";

    /// <summary>"Sqlite" (default, embedded file), "SqlServer" or "PostgreSQL" (names compared without case).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Folder for the SQLite file and other local data; relative paths are under the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>
    /// SQLite's sync mode for writes: "Normal" (default) or "Full". In write-ahead-log mode Normal commits without waiting
    /// for the disk (the log is synced at checkpoints): a crash of the app loses nothing and the file never corrupts,
    /// but a power cut or operating-system crash can lose the last moments of commits. Full waits for the disk on
    /// every commit (ADR 6).
    /// </summary>
    public string SqliteSynchronous { get; set; } = "Normal";

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
