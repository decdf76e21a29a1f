using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// The suite on PostgreSQL: when <see cref="Variable"/> holds a base connection string (a server on 127.0.0.1, as
/// <c>scripts/postgres-test-server.sh</c> starts), each factory gets a database of its own, copied from a template
/// that is migrated once per test run; otherwise the tests run on SQLite files.
/// </summary>
public static class PostgresTestDatabases
{
    public const string Variable = "MICIP_TEST_POSTGRES";

    /// <summary>
    /// The trait of a test that is about SQLite itself (its file, its pragmas, its write gate) and so has no meaning on
    /// another provider; the PostgreSQL run leaves these out with <c>--filter "Database!=SqliteOnly"</c>.
    /// </summary>
    public const string Trait = "Database";
    public const string SqliteOnly = "SqliteOnly";

    private static readonly string? BaseConnection = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..12];
    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    // CREATE DATABASE … TEMPLATE refuses while another session is connected to the template, and two copies at once
    // may be one of those sessions: copies are made one at a time.
    private static readonly Lock CopyLock = new();

    public static bool Enabled => BaseConnection is not null;

    /// <summary>A new database copied from the migrated template; its connection string.</summary>
    public static string CreateDatabase()
    {
        var template = Template.Value;
        var name = $"micip_{RunId}_{Guid.NewGuid():N}"[..40];
        lock (CopyLock) Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return ConnectionTo(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing its pooled connections first.</summary>
    public static void DropDatabase(string connectionString)
    {
        using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
        Execute($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
    }

    private static string CreateTemplate()
    {
        var name = $"micip_{RunId}_template";
        Execute($"CREATE DATABASE \"{name}\"");
        var connection = ConnectionTo(name);
        var options = new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(connection, npgsql => npgsql.MigrationsAssembly(DatabaseSetup.PostgreSqlMigrationsAssembly))
            .Options;
        using (var db = new AppDbContext(options)) db.Database.Migrate();
        using (var pooled = new NpgsqlConnection(connection)) NpgsqlConnection.ClearPool(pooled);
        // The template goes with the run (the server may be a developer's own, not a throwaway one).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropDatabase(connection);
        return name;
    }

    private static string ConnectionTo(string database) =>
        new NpgsqlConnectionStringBuilder(BaseConnection) { Database = database }.ConnectionString;

    private static void Execute(string sql)
    {
        // The maintenance database, never pooled: a pooled session would stay connected to it.
        var builder = new NpgsqlConnectionStringBuilder(BaseConnection) { Database = "postgres", Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
