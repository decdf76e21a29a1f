using Microsoft.Data.Sqlite;

namespace MicipPlanner.Infrastructure.Data;

/// <summary>
/// SQLite's own count of commits to the database file, as one connection of its own sees them (<c>PRAGMA
/// data_version</c>: it changes whenever any other connection, in this process or another, commits). Reading it is one
/// prepared statement and no query: when it has not changed, nothing in the database has, so what was read from the
/// database at the same count is still what it holds. Null when the database is not a SQLite file (SQL Server, or
/// an in-memory database another connection cannot see): then there is no such shortcut and callers read the database.
/// </summary>
public sealed class SqliteChangeCounter : IDisposable
{
    private readonly SqliteConnection? _connection;
    private readonly SqliteCommand? _command;
    private readonly Lock _lock = new();

    public SqliteChangeCounter(string? sqliteConnectionString)
    {
        if (sqliteConnectionString is null) return;
        var builder = new SqliteConnectionStringBuilder(sqliteConnectionString) { Pooling = false };
        var source = builder.DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || sqliteConnectionString.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)) return;
        _connection = new SqliteConnection(builder.ToString());
        _command = _connection.CreateCommand();
        _command.CommandText = "PRAGMA data_version;";
    }

    public bool Available => _command is not null;

    /// <summary>The current count, or null when not available (or the file cannot be read now).</summary>
    public long? Read()
    {
        if (_command is null) return null;
        lock (_lock)
        {
            try
            {
                if (_connection!.State != System.Data.ConnectionState.Open) _connection.Open();
                return (long)_command.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        _command?.Dispose();
        _connection?.Dispose();
    }
}
