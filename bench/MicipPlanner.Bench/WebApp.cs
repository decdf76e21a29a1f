using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MicipPlanner.Infrastructure.Data;
using Microsoft.Data.Sqlite;

namespace MicipPlanner.Bench;

/// <summary>
/// The data a run uses, found through its manifest: a SQLite file (the path the manifest sits beside) or a server
/// database (PostgreSQL or SQL Server) whose connection string the generator recorded, or that <c>--connection</c>
/// gives (a copy of the generated database, for the loads that write).
/// </summary>
public sealed record BenchDatabase(string Path, BenchManifest Manifest, string Provider, string? Connection)
{
    public static BenchDatabase Open(string path, string? connection = null)
    {
        var manifest = BenchManifest.Load(path);
        var provider = manifest.Provider;
        if (string.Equals(provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
            return new BenchDatabase(path, manifest, DatabaseOptions.Sqlite, null);
        return new BenchDatabase(path, manifest, provider,
            connection ?? manifest.Connection ?? throw new InvalidOperationException($"{path}: the manifest names no connection string; give --connection."));
    }

    public bool IsSqlite => Provider == DatabaseOptions.Sqlite;

    /// <summary>A short name for tables: the file, or the provider and database name.</summary>
    public string Name => IsSqlite
        ? System.IO.Path.GetFileName(Path)
        : $"{Provider} {(new DbConnectionStringBuilder { ConnectionString = Connection }.TryGetValue("Database", out var name) && name is string s ? s : System.IO.Path.GetFileName(Path))}";

    /// <summary>The app's settings (environment variables) that point it at this database.</summary>
    public Dictionary<string, string> AppSettings() => IsSqlite
        ? new() { ["Database__Provider"] = DatabaseOptions.Sqlite, ["ConnectionStrings__Sqlite"] = $"Data Source={System.IO.Path.GetFullPath(Path)};Default Timeout=30" }
        : new() { ["Database__Provider"] = Provider, [$"ConnectionStrings__{Provider}"] = Connection! };

    /// <summary>A connection for the harness's own reads (the people and rooms it drives); identifiers quoted for both providers.</summary>
    public DbConnection OpenReader()
    {
        DbConnection connection = IsSqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
            : Provider == DatabaseOptions.PostgreSql ? new Npgsql.NpgsqlConnection(Connection)
            : new Microsoft.Data.SqlClient.SqlConnection(Connection);
        connection.Open();
        return connection;
    }

    /// <summary>Rows of a query with <c>@name</c> parameters (understood by every provider here).</summary>
    public List<T> Read<T>(string sql, IReadOnlyDictionary<string, object> parameters, Func<DbDataReader, T> row)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    }
}

/// <summary>
/// The built app as the benchmark runs it on 127.0.0.1: one process on the given port, or several instances behind
/// nginx (round robin, no sticky sessions, the same configuration file as scripts/run-cluster.sh) with nginx on the
/// port. CPU time and memory are those of every server-side process together (instances and nginx), so a cluster's
/// cost per request is compared with one process's honestly.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    private readonly List<Process> _instances;
    private readonly Process? _proxy;
    private readonly string? _proxyFolder;
    private readonly Stopwatch _started;

    private WebApp(string root, List<string> instanceRoots, List<Process> instances, Process? proxy, string? proxyFolder, Stopwatch started,
        bool localDatabaseServer)
    {
        LocalDatabaseServer = localDatabaseServer;
        Root = root;
        InstanceRoots = instanceRoots;
        _instances = instances;
        _proxy = proxy;
        _proxyFolder = proxyFolder;
        _started = started;
    }

    /// <summary>Where requests go: the one instance, or nginx.</summary>
    public string Root { get; }

    /// <summary>Each instance's own address (for its JIT counter and readiness).</summary>
    public IReadOnlyList<string> InstanceRoots { get; }

    public int Instances => _instances.Count;

    /// <summary>The data is in a PostgreSQL server on this machine, whose CPU time is measured too.</summary>
    public bool LocalDatabaseServer { get; }

    /// <summary>"" for one process, or "2 instances behind nginx".</summary>
    public string Shape => Instances == 1 ? "" : $"{Instances} instances behind nginx";

    public static WebApp Start(string webDll, BenchDatabase database, int port, int instances, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (instances < 1) throw new ArgumentOutOfRangeException(nameof(instances));
        if (instances > 1 && database.IsSqlite)
            throw new InvalidOperationException("Several instances need a server database (SQLite is one process's file); generate into PostgreSQL.");
        // Another app already answering on a port would be measured instead of this one.
        var ports = instances == 1 ? [port] : Enumerable.Range(port, instances + 1).ToArray();
        if (ports.FirstOrDefault(InUse) is var busy and > 0)
            throw new InvalidOperationException($"Port {busy} on 127.0.0.1 is already in use; choose another with --port.");
        var started = Stopwatch.StartNew();
        var processes = new List<Process>();
        var roots = new List<string>();
        var appSettings = database.AppSettings();
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) appSettings[name] = value;
        try
        {
            // All instances start at once, as after a rolling restart; start-up work runs once under the database's lock.
            for (var i = 0; i < instances; i++)
            {
                var root = $"http://127.0.0.1:{(instances == 1 ? port : port + 1 + i)}";
                roots.Add(root);
                processes.Add(StartInstance(webDll, root, appSettings, instances > 1 ? $"[web {i + 1}] " : "[web] "));
            }
            var local = database.Provider == DatabaseOptions.PostgreSql && IsLoopback(database.Connection);
            if (instances == 1) return new WebApp(roots[0], roots, processes, null, null, started, local);
            var (proxy, folder) = StartProxy(port, roots);
            return new WebApp($"http://127.0.0.1:{port}", roots, processes, proxy, folder, started, local);
        }
        catch
        {
            foreach (var process in processes) { if (!process.HasExited) process.Kill(entireProcessTree: true); }
            throw;
        }
    }

    private static bool IsLoopback(string? connection) =>
        new DbConnectionStringBuilder { ConnectionString = connection }.TryGetValue("Host", out var host)
        && host is string h && (h == "127.0.0.1" || h == "localhost" || h == "::1");

    private static bool InUse(int port)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException) { return false; }
    }

    private static Process StartInstance(string webDll, string root, IReadOnlyDictionary<string, string> settings, string logPrefix)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(webDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(System.IO.Path.GetFullPath(webDll));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = root;
        info.Environment["Bench__Enabled"] = "true";
        // Plain HTTP on loopback (behind nginx too), and many test people signing in from one address.
        info.Environment["Security__RequireHttps"] = "false";
        info.Environment["Security__TrustedProxies__0"] = "127.0.0.1";
        info.Environment["Security__RateLimitPermits"] = "100000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // The e-mail digest's first look runs a minute after start, inside whichever page's window is then being measured,
        // and charged a statewide database's digest work to that page's CPU per request; the pages are measured without it.
        info.Environment["Digest__Enabled"] = "false";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Error";
        foreach (var (name, value) in settings) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the web app.");
        // Drain its output so a chatty log never blocks the process.
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("   " + logPrefix + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("   " + logPrefix + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>nginx in the foreground as one process (no master), so its CPU time is read like the instances'.</summary>
    private static (Process Proxy, string Folder) StartProxy(int port, IReadOnlyList<string> roots)
    {
        var template = FindUp("scripts/cluster-nginx.conf")
            ?? throw new FileNotFoundException("scripts/cluster-nginx.conf not found above the working folder or the harness.");
        var folder = Directory.CreateTempSubdirectory("micip-bench-nginx.").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "nginx-temp"));
        // Started as root, nginx's worker runs unprivileged with master_process off too: let it reach its temp folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(System.IO.Path.Combine(folder, "nginx-temp"), (UnixFileMode)0b111_111_111);
        }
        var upstreams = string.Join('\n', roots.Select(r => $"    server {new Uri(r).Authority} max_fails=1 fail_timeout=5s;"));
        var conf = File.ReadAllText(template).Replace("@DIR@", folder, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@UPSTREAMS@", upstreams, StringComparison.Ordinal);
        var path = System.IO.Path.Combine(folder, "nginx.conf");
        File.WriteAllText(path, conf);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-q", "-e", System.IO.Path.Combine(folder, "nginx-error.log"), "-c", path, "-p", folder, "-g", "daemon off; master_process off;" })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start nginx (scripts/setup.sh installs it).");
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("   [nginx] " + line); };
        process.BeginErrorReadLine();
        return (process, folder);
    }

    private static string? FindUp(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Waits until every instance, and then the address requests go to, serves the sign-in page; the time since start.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var root in InstanceRoots.Append(Root).Distinct())
        {
            while (true)
            {
                if (_instances.FirstOrDefault(p => p.HasExited) is { } exited)
                    throw new InvalidOperationException($"The web app exited with code {exited.ExitCode} while starting.");
                if (_proxy is { HasExited: true }) throw new InvalidOperationException("nginx stopped while starting (its error log is in " + _proxyFolder + ").");
                if (_started.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException("The web app did not answer within 120 s.");
                try
                {
                    using var response = await client.GetAsync(root + "/account/sign-in");
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(10);
            }
        }
        return _started.Elapsed;
    }

    /// <summary>CPU time used so far by every server-side process (the instances and nginx).</summary>
    public TimeSpan ProcessorTime()
    {
        var total = TimeSpan.Zero;
        foreach (var process in _instances.Append(_proxy).OfType<Process>())
        {
            try
            {
                process.Refresh();
                total += process.TotalProcessorTime;
            }
            catch (InvalidOperationException) { } // exited
        }
        return total;
    }

    /// <summary>
    /// CPU time used so far by the PostgreSQL server on this machine (every postgres process, and the backends that
    /// have ended, counted in their parent's), or zero when the data is not in one. With SQLite the database's work is
    /// inside the web process; with a server database on the same two cores it is not, and belongs to the cost of a
    /// request all the same.
    /// </summary>
    public TimeSpan DatabaseProcessorTime()
    {
        if (!LocalDatabaseServer) return TimeSpan.Zero;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(System.IO.Path.GetFileName(dir)[0])) continue;
            try
            {
                var stat = File.ReadAllText(dir + "/stat");
                var close = stat.LastIndexOf(')');
                if (close < 0 || stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1) is not "postgres") continue;
                // Fields after the command: state is field 3; utime, stime, cutime and cstime are fields 14 to 17.
                var fields = stat[(close + 2)..].Split(' ');
                for (var f = 11; f <= 14; f++) ticks += long.Parse(fields[f], CultureInfo.InvariantCulture);
            }
            catch (IOException) { } // the process ended meanwhile
        }
        // Linux reports these in clock ticks of 1/100 s (USER_HZ).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>A /proc status field (VmRSS:, VmHWM:) summed over the instances, in MB.</summary>
    public double StatusMb(string field) => Math.Round(_instances.Sum(p => StatusKb(p, field)) / 1024.0, 1);

    private static long StatusKb(Process process, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException) { return 0; }
    }

    /// <summary>The JIT compiler's total time over the instances (each asked directly, not through nginx).</summary>
    public async Task<double> JitMillisecondsAsync(HttpClient client)
    {
        var total = 0.0;
        foreach (var root in InstanceRoots)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync(root + "/bench/jit"));
            total += json.RootElement.GetProperty("compilationMs").GetDouble();
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _instances.Append(_proxy).OfType<Process>())
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
        if (_proxyFolder is not null) Directory.Delete(_proxyFolder, recursive: true);
    }
}
