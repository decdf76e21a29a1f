using System.Diagnostics;
using Npgsql;

namespace MicipPlanner.ClusterTests.Support;

/// <summary>
/// Two instances of the published app behind nginx on one PostgreSQL database, started by scripts/run-cluster.sh at
/// the same moment on an empty database with the demo districts. The PostgreSQL server is the one the test run was
/// given in MICIP_TEST_POSTGRES (scripts/test.sh starts a throwaway one); each run gets a database of its own.
/// </summary>
public sealed class Cluster : IAsyncLifetime
{
    public const int Instances = 2;
    private readonly string database = "micip_cluster_" + Guid.NewGuid().ToString("N")[..12];
    private string serverConnection = "";

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("micip-cluster-").FullName;
    public Uri Url { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        serverConnection = Environment.GetEnvironmentVariable("MICIP_TEST_POSTGRES")
            ?? throw new InvalidOperationException("The cluster tests need a PostgreSQL server: set MICIP_TEST_POSTGRES "
                + "(scripts/test.sh starts a throwaway one and sets it).");
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
        var started = Stopwatch.StartNew();
        var (code, output) = await RunScriptAsync("start", StateDirectory, "--connection", ConnectionString, "--configuration", Configuration);
        StartTime = started.Elapsed;
        if (code != 0) throw new InvalidOperationException($"scripts/run-cluster.sh start failed ({code}):\n{output}\n{Logs()}");
        Url = new Uri(File.ReadAllText(Path.Combine(StateDirectory, "url")).Trim());
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", StateDirectory);
        Directory.Delete(StateDirectory, recursive: true);
        await using var connection = new NpgsqlConnection(serverConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public int InstancePort(int instance) => int.Parse(File.ReadAllText(Path.Combine(StateDirectory, $"instance-{instance}.port")));

    public string InstanceLog(int instance) => File.ReadAllText(Path.Combine(StateDirectory, $"instance-{instance}.log"));

    /// <summary>Stops an instance the hard way (SIGKILL): no shutdown, requests in flight cut off.</summary>
    public void Kill(int instance)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(StateDirectory, $"instance-{instance}.pid")));
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }

    public async Task<T> QueryAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<object[]>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }
        return rows;
    }

    private string Logs() => string.Join("\n", Enumerable.Range(1, Instances)
        .Select(i => Path.Combine(StateDirectory, $"instance-{i}.log")).Where(File.Exists)
        .Select(path => $"--- {Path.GetFileName(path)}\n" + string.Join("\n", File.ReadLines(path).TakeLast(20))));

    // The test assembly sits in tests/MicipPlanner.ClusterTests/bin/<Configuration>/net10.0/.
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MicipPlanner.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("MicipPlanner.sln not found above the test assembly.");
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(params string[] arguments)
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(root, "scripts", "run-cluster.sh"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<Cluster>
{
    public const string Name = "cluster";
}
