using System.Data.Common;
using MicipPlanner.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>
/// The migration that made a workshop's groups rows of their own (they were one text column of comma-separated rating
/// group ids) moves the groups of workshops already stored, on a SQLite file left by the release before it.
/// </summary>
public sealed class WorkshopGroupsMigrationTests : IDisposable
{
    private const string Migration = "WorkshopGroupsAsRows";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"micip-migration-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Each_workshops_listed_groups_become_its_rows_in_the_listed_order()
    {
        await using var db = Context();
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith("_" + Migration, StringComparison.Ordinal)) - 1];
        await db.Database.MigrateAsync(before);

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        // The rows the old release wrote; only the columns this migration reads matter, the rest get plain values.
        await InsertAsync(connection, "Districts", new() { ["Id"] = 7 });
        await InsertAsync(connection, "Cycles", new() { ["Id"] = 3, ["DistrictId"] = 7 });
        foreach (var group in new[] { 11, 12, 13 })
            await InsertAsync(connection, "RatingGroups", new() { ["Id"] = group, ["DistrictId"] = 7, ["CycleId"] = 3, ["Name"] = $"Table {group}" });
        await InsertAsync(connection, "Workshops", new() { ["Id"] = 1, ["DistrictId"] = 7, ["CycleId"] = 3, ["Code"] = "AAAAAA", ["GroupIds"] = "13,11,12" });
        // 99 is a group deleted since the workshop ran: it is left out, the others keep their order.
        await InsertAsync(connection, "Workshops", new() { ["Id"] = 2, ["DistrictId"] = 7, ["CycleId"] = 3, ["Code"] = "CCCCCC", ["GroupIds"] = "12,99,11" });
        await InsertAsync(connection, "Workshops", new() { ["Id"] = 3, ["DistrictId"] = 7, ["CycleId"] = 3, ["Code"] = "DDDDDD", ["GroupIds"] = "" });

        await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_" + Migration, StringComparison.Ordinal))]);

        var rows = await QueryAsync(connection, """SELECT "WorkshopId", "RatingGroupId", "DistrictId", "Version" FROM "WorkshopGroups" ORDER BY "WorkshopId", "Position" """);
        Assert.Equal(["1:13", "1:11", "1:12", "2:12", "2:11"], rows.Select(r => $"{r[0]}:{r[1]}"));
        Assert.All(rows, r => Assert.Equal(7L, r[2]));
        // Versions as EF writes them (upper-case text), so the first save after the upgrade matches its concurrency check.
        Assert.All(rows, r => Assert.Equal(Guid.Parse((string)r[3]!).ToString().ToUpperInvariant(), r[3]));
        Assert.Equal(rows.Count, rows.Select(r => r[3]).Distinct().Count());
        var columns = await QueryAsync(connection, """SELECT "name" FROM pragma_table_info('Workshops')""");
        Assert.DoesNotContain(columns, c => (string)c[0]! == "GroupIds");

        // Taking the migration back out writes the column again from the rows.
        await migrator.MigrateAsync(before);
        var listed = await QueryAsync(connection, """SELECT "GroupIds" FROM "Workshops" ORDER BY "Id" """);
        Assert.Equal(["13,11,12", "12,11", ""], listed.Select(r => (string)r[0]!));
    }

    private AppDbContext Context()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = new SqliteConnectionStringBuilder { DataSource = _file, Pooling = false }.ToString(),
        }).Build();
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseSetup.ConfigureProvider(options, configuration, Path.GetTempPath());
        return new AppDbContext(options.Options);
    }

    /// <summary>Inserts a row with the given values; every other required column gets a plain value of its type.</summary>
    private static async Task InsertAsync(DbConnection connection, string table, Dictionary<string, object> values)
    {
        var required = await QueryAsync(connection, $"""SELECT "name", "type" FROM pragma_table_info('{table}') WHERE "notnull" = 1 AND "dflt_value" IS NULL AND "pk" = 0""");
        foreach (var column in required.Where(c => !values.ContainsKey((string)c[0]!)))
            values[(string)column[0]!] = (string)column[1]! switch
            {
                "INTEGER" => 0,
                "REAL" => 0.0,
                "BLOB" => new byte[] { 0 },
                _ => Guid.NewGuid().ToString().ToUpperInvariant(),
            };
        await using var command = connection.CreateCommand();
        var names = values.Keys.ToList();
        command.CommandText = $"""INSERT INTO "{table}" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})""";
        for (var i = 0; i < names.Count; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", values[names[i]]));
        await command.ExecuteNonQueryAsync();
    }

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }
}
