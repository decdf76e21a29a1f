using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>The built app as a real process on its own SQLite file, for kill -9 tests.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    public Uri BaseAddress { get; }

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public string RecentLog => string.Join("\n", _log.TakeLast(40));

    public static string WebDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = dir.Name;                 // net10.0
        var configuration = dir.Parent!.Name;     // Release or Debug
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MicipPlanner.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Cannot find the solution folder.");
        var dll = Path.Combine(dir.FullName, "src", "MicipPlanner.Web", "bin", configuration, framework, "MicipPlanner.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the web project first: {dll} is missing.");
    }

    public static async Task<AppProcess> StartAsync(string dataFolder, params string[] extraArgs)
    {
        var port = FreePort();
        var dll = WebDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--seed-demo", $"--Database:Provider=Sqlite", $"--Database:DataFolder={dataFolder}" }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app._log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app._log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{app.RecentLog}");
            try
            {
                if ((await probe.GetAsync(new Uri(app.BaseAddress, "/healthz"))).StatusCode == HttpStatusCode.OK) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"The app did not answer within 90 s:\n{app.RecentLog}");
    }

    /// <summary>Runs a command-line task of the app (no server) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunTaskAsync(string dataFolder, params string[] args)
    {
        var dll = WebDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--Database:Provider=Sqlite", $"--Database:DataFolder={dataFolder}" }.Concat(args))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public async Task StopAsync()
    {
        if (!_process.HasExited) Kill();
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// Kills the running app (SIGKILL) in the middle of a stream of saves, restarts it on the same file,
/// and checks that every save it acknowledged is there and that SQLite finds the file intact.
/// </summary>
/// <remarks>
/// About SQLite itself (the file, its write-ahead log, its integrity check, a restore into a new file), read with its
/// own connections: left out of the PostgreSQL run, whose server keeps its own durability.
/// </remarks>
[Trait(PostgresTestDatabases.Trait, PostgresTestDatabases.SqliteOnly)]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 3;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "micip-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private string DbFile => Path.Combine(_folder, "micip-planner.db");

    private sealed record Attempt(string Row, string Value, bool Acknowledged);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbFile, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private string Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    [Fact]
    public async Task Acknowledged_saves_survive_repeated_kill_minus_9_and_the_file_stays_intact()
    {
        var attempts = new List<Attempt>();
        var versions = new Dictionary<string, string>();
        var app = await AppProcess.StartAsync(_folder);
        try
        {
            Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
            var district = Scalar("SELECT Id FROM Districts WHERE Name = 'Lakeshore Public Schools';");
            var cycle = Scalar($"SELECT Id FROM Cycles WHERE DistrictId = {district} ORDER BY StartYear DESC LIMIT 1;");
            var group = Scalar($"SELECT Id FROM RatingGroups WHERE CycleId = {cycle} AND IsWholeTeam = 1;");
            var toolkit = ToolkitCatalog.LoadEmbedded().Get(Scalar($"SELECT ToolkitKey FROM Cycles WHERE Id = {cycle};"), int.Parse(Scalar($"SELECT ToolkitVersion FROM Cycles WHERE Id = {cycle};")));
            var rows = toolkit.Rubric.Rows.Select(r => r.Key).ToArray();
            foreach (var row in rows)
                versions[row] = Scalar($"SELECT Version FROM RubricRatings WHERE RatingGroupId = {group} AND RowKey = '{row}';");

            var jar = new CookieContainer();
            var random = new Random(20261125);
            for (var round = 0; round <= Kills; round++)
            {
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
                if (round == 0)
                {
                    var signIn = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "member@example.org", ["Password"] = TestClient.DemoPassword });
                    Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
                }
                var rubric = $"/districts/{district}/cycles/{cycle}/rubric";
                // The sign-in cookie still works after a restart: the keys live in the database.
                var token = await client.AntiforgeryTokenAsync(rubric);
                if (round == Kills) break;

                using var stop = new CancellationTokenSource();
                var killAfter = TimeSpan.FromMilliseconds(random.Next(700, 1600));
                var stream = Task.Run(async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var row = rows[n % rows.Length];
                        var value = $"round {round} save {n} on {row}";
                        var request = new HttpRequestMessage(HttpMethod.Post, $"{rubric}/groups/{group}/rows/{row}")
                        {
                            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Level"] = (n % 4 + 1).ToString(), ["Evidence"] = value, ["Version"] = versions[row] }),
                        };
                        request.Headers.Add("RequestVerificationToken", token);
                        request.Headers.Add("Accept", "application/json");
                        lock (attempts) attempts.Add(new Attempt(row, value, false));
                        try
                        {
                            using var response = await client.SendAsync(request);
                            var body = await response.Content.ReadAsStringAsync();
                            var json = JsonDocument.Parse(body).RootElement;
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                versions[row] = json.GetProperty("version").GetString()!;
                                lock (attempts) attempts[^1] = attempts[^1] with { Acknowledged = true };
                            }
                            else if (response.StatusCode == HttpStatusCode.Conflict)
                            {
                                // A save that was written just before a kill but never answered.
                                versions[row] = json.GetProperty("theirs").GetProperty("version").GetString()!;
                            }
                            else
                            {
                                throw new InvalidOperationException($"Save answered {(int)response.StatusCode}: {body}");
                            }
                        }
                        catch (HttpRequestException) when (stop.IsCancellationRequested) { return; }
                        catch (TaskCanceledException) when (stop.IsCancellationRequested) { return; }
                        catch (HttpRequestException) { return; } // the process died under the request
                    }
                });
                await Task.Delay(killAfter);
                app.Kill();
                stop.Cancel();
                await stream;
                Assert.Equal("ok", Scalar("PRAGMA integrity_check;"));
                app = await AppProcess.StartAsync(_folder);
            }

            // Every acknowledged save is in the audit trail; each row holds its last acknowledged value
            // or a later one that was written but whose answer was cut off by the kill.
            var acknowledged = attempts.Where(a => a.Acknowledged).ToList();
            Assert.True(acknowledged.Count >= Kills, $"only {acknowledged.Count} saves were acknowledged");
            using (var connection = Open())
            {
                var audited = new HashSet<string>();
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT NewValue FROM AuditEntries WHERE EntityType = 'RubricRating' AND Field = 'Evidence' AND NewValue LIKE 'round %';";
                    using var reader = command.ExecuteReader();
                    while (reader.Read()) audited.Add(reader.GetString(0));
                }
                Assert.All(acknowledged, a => Assert.Contains(a.Value, audited));
                foreach (var row in acknowledged.Select(a => a.Row).Distinct())
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT Evidence FROM RubricRatings WHERE RatingGroupId = $g AND RowKey = $r;";
                    command.Parameters.AddWithValue("$g", int.Parse(group));
                    command.Parameters.AddWithValue("$r", row);
                    var stored = (string)command.ExecuteScalar()!;
                    var lastAck = attempts.FindLastIndex(a => a.Row == row && a.Acknowledged);
                    var allowed = attempts.Skip(lastAck).Where(a => a.Row == row).Select(a => a.Value).ToList();
                    Assert.Contains(stored, allowed);
                }
            }
            Assert.Equal("ok", Scalar("PRAGMA integrity_check;"));
            Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
            output.WriteLine($"FIGURE crash: {Kills} kills survived, {attempts.Count} saves sent, {acknowledged.Count} acknowledged and all found");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nApp log:\n{app.RecentLog}", ex);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_downloaded_export_restores_from_the_command_line_into_an_empty_database()
    {
        var restoreFolder = _folder + "-restore";
        try
        {
            string file;
            await using (var app = await AppProcess.StartAsync(_folder))
            {
                var district = Scalar("SELECT Id FROM Districts WHERE Name = 'Lakeshore Public Schools';");
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
                Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "leader@example.org", ["Password"] = TestClient.DemoPassword })).StatusCode);
                file = Path.Combine(_folder, "lakeshore.json");
                await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync($"/districts/{district}/export.json"));
            }
            var counts = new[] { "Buildings", "Cycles", "TeamMemberships", "RubricRatings", "ConsensusRatings", "BalanceTemplateItems" }
                .ToDictionary(t => t, t => Scalar($"SELECT COUNT(*) FROM {t} WHERE DistrictId = (SELECT Id FROM Districts WHERE Name = 'Lakeshore Public Schools');"));

            var (exit, text) = await AppProcess.RunTaskAsync(restoreFolder, "--import-district", file);
            Assert.True(exit == 0, text);
            Assert.Contains("Imported Lakeshore Public Schools", text);
            using var restored = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(restoreFolder, "micip-planner.db"), Pooling = false }.ToString());
            restored.Open();
            foreach (var (table, count) in counts)
            {
                using var command = restored.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {table};";
                Assert.Equal(count, Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }

            // Running it again is refused with a message, and a missing file too.
            var (again, againText) = await AppProcess.RunTaskAsync(restoreFolder, "--import-district", file);
            Assert.Equal(1, again);
            Assert.Contains("already exists", againText);
            Assert.Equal(2, (await AppProcess.RunTaskAsync(restoreFolder, "--import-district", Path.Combine(_folder, "missing.json"))).ExitCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(restoreFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
