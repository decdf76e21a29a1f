using MicipPlanner.Infrastructure.Data.Saving;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MicipPlanner.Infrastructure.Data;

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "MicipPlanner.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "MicipPlanner.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "MicipPlanner.Migrations.PostgreSql";

    /// <summary>
    /// Registers <see cref="AppDbContext"/> on the configured provider. The provider is read when the
    /// options are built, so test and command-line overrides of Database:Provider apply.
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, string contentRoot)
    {
        // The options are built once and contexts are pooled: binding the configuration, building the connection string
        // and setting up a context's internal services on every request showed up as a large share of each page's time.
        services.AddPooledDbContextFactory<AppDbContext>((sp, options) =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            ConfigureProvider(options, configuration, contentRoot);
            // The save pipeline is shared by every pooled context, so it takes singletons: the person acting is read
            // at each save from the current request (ICurrentUser must be a singleton), the time from TimeProvider.
            options.AddSavePipeline(sp.GetService<ICurrentUser>() ?? new NoCurrentUser(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<IDataChangeListener>());
            options.AddInterceptors(Identity.UserNames.Expander);
        });
        // One context per request (scope), rented from the pool; disposing the scope returns it.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        return services;
    }

    public static void ConfigureProvider(DbContextOptionsBuilder options, IConfiguration configuration, string contentRoot)
    {
        var settings = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (string.Equals(settings.Provider, DatabaseOptions.SqlServer, StringComparison.OrdinalIgnoreCase))
        {
            var connection = configuration.GetConnectionString("SqlServer")
                ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");
            options.UseSqlServer(connection, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));
        }
        else if (string.Equals(settings.Provider, DatabaseOptions.PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            var connection = configuration.GetConnectionString("PostgreSQL")
                ?? throw new InvalidOperationException("Database:Provider is PostgreSQL but ConnectionStrings:PostgreSQL is not set.");
            options.UseNpgsql(PostgreSqlConnectionString(connection), npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
        }
        else if (string.Equals(settings.Provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            options.UseSqlite(SqliteConnectionString(configuration, contentRoot),
                sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
            options.AddInterceptors(new SqliteSyncModeInterceptor(SqliteSyncModeInterceptor.Parse(settings.SqliteSynchronous)));
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider '{settings.Provider}' is not supported; use Sqlite, SqlServer or PostgreSQL.");
        }
    }

    /// <summary>
    /// The configured PostgreSQL connection string with two defaults the app relies on for its speed, unless the
    /// operator set them: Npgsql plans every statement anew unless it prepares those it sees often, and the app sends
    /// the same few hundred statements all day (preparing them halved the database server's CPU per request in the
    /// benchmark, docs/performance.md); and the app keeps no session state on a connection, so resetting one each time
    /// it goes back to the pool is a round trip for nothing.
    /// </summary>
    public static string PostgreSqlConnectionString(string configured)
    {
        // The keys as written (Npgsql's own builder answers for every keyword it knows, set or not).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!given.Contains("MAXAUTOPREPARE")) builder.MaxAutoPrepare = 64;
        if (!given.Contains("NORESETONCLOSE")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    public static string SqliteConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Sqlite");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var folder = DataFolder(configuration, contentRoot);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "micip-planner.db"),
            Cache = SqliteCacheMode.Default,
            DefaultTimeout = 30,
        }.ToString();
    }

    public static string DataFolder(IConfiguration configuration, string contentRoot)
    {
        var settings = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        return Path.GetFullPath(Path.IsPathRooted(settings.DataFolder)
            ? settings.DataFolder
            : Path.Combine(contentRoot, settings.DataFolder));
    }

    /// <summary>Creates the SQLite folder, applies migrations and turns on write-ahead logging.</summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(source));
            if (!string.IsNullOrEmpty(source) && source != ":memory:" && !source.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)
                && folder is not null)
                Directory.CreateDirectory(folder);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL keeps acknowledged writes safe across a crash and lets readers run beside a writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
