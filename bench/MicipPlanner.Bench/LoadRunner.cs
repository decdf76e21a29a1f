using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MicipPlanner.Bench;

public sealed record LoadOptions(string WebDll, IReadOnlyList<string> Databases, int Connections, TimeSpan Warmup, TimeSpan Duration, int Port, string? ResultsFile,
    IReadOnlyList<string>? Only = null, TimeSpan GlobalWarmup = default, TimeSpan MaxGlobalWarmup = default,
    IReadOnlyList<string>? DatabaseConnections = null, int Instances = 1);

public sealed record ScenarioResult(string Database, string Scenario, string Method, long Requests, long Errors, double RequestsPerSecond,
    double P50Ms, double P95Ms, double P99Ms, double PeakMemoryMb, double WebCpuUsPerRequest = 0, double LoadCpuUsPerRequest = 0,
    double DatabaseCpuUsPerRequest = 0);

public sealed record DatabaseRun(string Database, int Districts, double ColdStartSeconds, double PeakMemoryMb, List<ScenarioResult> Scenarios);

public sealed record RunResult(DateTimeOffset At, string Machine, int Connections, double DurationSeconds, List<DatabaseRun> Runs);

/// <summary>
/// Starts the built web app on 127.0.0.1 against each database (one process, or several instances behind nginx on a
/// server database), signs in, and drives a closed-loop load (N connections, each sending its next request when the
/// previous answered) for a fixed time per scenario.
/// </summary>
public sealed partial class LoadRunner(LoadOptions options)
{
    public const string Baseline = "baseline";
    public const string LayoutFloor = "layout floor";
    public const string Save = "rating save";
    public const string CheckInSave = "check-in save";
    public const string MeetingPage = "meeting page";
    public const string Desk = "desk";
    public const string NetworkPage = "network page";
    public static readonly string[] Pages = ["dashboard", "rubric", "group comparison", "building template", "roll-up", MeetingPage, Desk, NetworkPage];

    private string Root => $"http://127.0.0.1:{options.Port}";

    public async Task<RunResult> RunAsync()
    {
        var runs = new List<DatabaseRun>();
        for (var i = 0; i < options.Databases.Count; i++)
            runs.Add(await RunDatabaseAsync(BenchDatabase.Open(options.Databases[i], options.DatabaseConnections is { Count: > 0 } c ? c[i] : null)));
        return new RunResult(DateTimeOffset.UtcNow, MachineDescription(), options.Connections, options.Duration.TotalSeconds, runs);
    }

    /// <summary>"one district" or "statewide (N districts)", after the provider and shape when not one SQLite process.</summary>
    public static string Label(BenchDatabase database, WebApp web)
    {
        var data = database.Manifest.Districts == 1 ? "one district" : $"statewide ({database.Manifest.Districts} districts)";
        if (database.IsSqlite && web.Instances == 1) return data;
        return $"{string.Join(", ", new[] { database.Provider, web.Shape }.Where(s => s.Length > 0))}: {data}";
    }

    private async Task<DatabaseRun> RunDatabaseAsync(BenchDatabase database)
    {
        var manifest = database.Manifest;
        await using var web = WebApp.Start(options.WebDll, database, options.Port, options.Instances);
        var label = Label(database, web);
        Console.WriteLine($"== {label}: {database.Name}");
        {
            var coldStart = await web.WaitUntilReadyAsync();
            Console.WriteLine($"   cold start to first page: {coldStart.TotalSeconds:0.00} s");

            var t = manifest.Target;
            var cycleRoot = $"/districts/{t.DistrictId}/cycles/{t.CycleId}";
            var scenarios = new List<(string Name, string Url)>
            {
                (Baseline, "/bench/baseline"),
                (LayoutFloor, "/bench/layout"),
                ("dashboard", cycleRoot),
                ("rubric", $"{cycleRoot}/rubric?group={t.GroupId}"),
                ("group comparison", $"{cycleRoot}/rubric/compare"),
                ("building template", $"{cycleRoot}/balance/buildings/{t.BuildingId}"),
                ("roll-up", $"{cycleRoot}/balance/rollup"),
                (MeetingPage, $"{cycleRoot}/monitoring"),
            };

            using var reader = await SignedInClientAsync(t.Email, manifest.Password, options.Connections);
            // The facilitator's desk is read as the desk facilitator, the network page as the target district's key leader.
            using var facilitator = manifest.Desk is { } desk && Wanted(Desk) && desk.Districts > 0 ? await SignedInClientAsync(desk.FacilitatorEmail, manifest.Password, options.Connections) : null;
            if (manifest.Desk is { } d)
            {
                scenarios.Add((Desk, "/desk"));
                scenarios.Add((NetworkPage, $"/networks/{d.NetworkId}"));
            }
            else
            {
                Console.WriteLine("   desk and network page: skipped (a database generated before networks; bench/run.sh --fresh)");
            }
            HttpClient ClientFor(string scenario) => scenario == Desk ? facilitator ?? reader : reader;
            foreach (var (name, url) in scenarios.Where(s => s.Name != Desk || facilitator is not null))
            {
                var check = await ClientFor(name).GetAsync(url);
                if (check.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"{name} ({url}) answered {(int)check.StatusCode} before the run; is Bench:Enabled set and the database complete?");
            }

            // Warm the whole app first (JIT tiering, caches, the database pages) so each window measures the steady state.
            var warm = scenarios.Where(s => Wanted(s.Name)).ToArray();
            var warmedFor = await WarmUntilSteadyAsync(reader, web, _ => async () =>
            {
                var (warmName, warmUrl) = warm[Random.Shared.Next(warm.Length)];
                using var response = await ClientFor(warmName).GetAsync(warmUrl);
                return response.StatusCode == HttpStatusCode.OK;
            });
            Console.WriteLine($"   warm-up until the JIT compiler is quiet: {warmedFor.TotalSeconds:0} s");

            var results = new List<ScenarioResult>();
            foreach (var (name, url) in scenarios.Where(s => Wanted(s.Name)))
            {
                var client = ClientFor(name);
                var measured = await MeasureAsync(options.Connections, _ =>
                {
                    var buffer = new byte[64 * 1024];
                    return () => ReadPageAsync(client, url, buffer);
                }, web);
                results.Add(Result(label, name, "GET", measured, web));
                Print(results[^1]);
            }

            var savers = Wanted(Save) ? await PrepareSaversAsync(manifest) : [];
            if (savers.Count > 0)
            {
                var measured = await MeasureAsync(savers.Count, i => savers[i].SaveNextAsync, web);
                results.Add(Result(label, Save, "POST", measured, web));
                Print(results[^1]);
                foreach (var saver in savers) saver.Dispose();
            }
            else if (Wanted(Save))
            {
                Console.WriteLine("   rating save: skipped (one district has too few rows for 32 conflict-free writers; measured on the statewide database)");
            }
            // The same savers' check-ins at their district's monitoring meeting, one activity after another.
            var checkIns = Wanted(CheckInSave) ? await PrepareCheckInSaversAsync(manifest) : [];
            if (checkIns.Count > 0)
            {
                var measured = await MeasureAsync(checkIns.Count, i => checkIns[i].SaveNextAsync, web);
                results.Add(Result(label, CheckInSave, "POST", measured, web));
                Print(results[^1]);
                foreach (var saver in checkIns) saver.Dispose();
            }
            else if (Wanted(CheckInSave))
            {
                Console.WriteLine("   check-in save: skipped (fewer districts with a plan than connections)");
            }
            return new DatabaseRun(label, manifest.Districts, Math.Round(coldStart.TotalSeconds, 2), web.StatusMb("VmHWM:"), results);
        }
    }

    private bool Wanted(string scenario) => options.Only is not { Count: > 0 } only || only.Contains(scenario);

    private Task<HttpClient> SignedInClientAsync(string email, string password, int connections) => SignedInClientAsync(email, password, connections, Root);

    private static async Task<HttpClient> SignedInClientAsync(string email, string password, int connections, string root, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(root), Timeout = TimeSpan.FromSeconds(30) };
        var page = await client.GetStringAsync("/account/sign-in");
        var token = Token(page);
        using var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        return client;
    }

    private async Task<List<Saver>> PrepareSaversAsync(BenchManifest manifest)
    {
        if (manifest.Savers.Count < options.Connections) return [];
        var savers = new Saver[options.Connections];
        // A few at a time: each sign-in runs the deliberately slow password hash.
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var s = manifest.Savers[i];
                var client = await SignedInClientAsync(s.Email, manifest.Password, 1);
                var root = $"/districts/{s.DistrictId}/cycles/{s.CycleId}/rubric";
                var page = await client.GetStringAsync($"{root}?group={s.GroupId}");
                var versions = RowForm().Matches(page).ToDictionary(m => m.Groups["row"].Value, m => m.Groups["version"].Value);
                if (versions.Count == 0) throw new InvalidOperationException($"No editable rubric rows for {s.Email}.");
                savers[i] = new Saver(client, $"{root}/groups/{s.GroupId}/rows/", Token(page), versions, i);
            }
            finally { gate.Release(); }
        }));
        return savers.ToList();
    }

    private async Task<List<CheckInSaver>> PrepareCheckInSaversAsync(BenchManifest manifest)
    {
        if (manifest.Savers.Count < options.Connections) return [];
        var savers = new CheckInSaver[options.Connections];
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var s = manifest.Savers[i];
                var client = await SignedInClientAsync(s.Email, manifest.Password, 1);
                var page = await client.GetStringAsync($"/districts/{s.DistrictId}/cycles/{s.CycleId}/monitoring");
                var forms = CheckInForm().Matches(page).Select(m => m.Groups["action"].Value).ToArray();
                var date = CheckInDate().Match(page);
                if (forms.Length == 0 || !date.Success) throw new InvalidOperationException($"No check-in forms at the meeting for {s.Email}; regenerate the database (bench/run.sh --fresh).");
                savers[i] = new CheckInSaver(client, forms, date.Groups[1].Value, Token(page), i);
            }
            finally { gate.Release(); }
        }));
        return savers.ToList();
    }

    /// <summary>One team recording check-ins at its monitoring meeting, activity after activity, as the page's script does.</summary>
    private sealed class CheckInSaver(HttpClient client, string[] actions, string date, string token, int seed) : IDisposable
    {
        private int _next = seed;

        public async Task<bool> SaveNextAsync()
        {
            var n = _next++;
            using var request = new HttpRequestMessage(HttpMethod.Post, actions[n % actions.Length])
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Date"] = date, ["Judgment"] = (n % 3) switch { 0 => "OnTrack", 1 => "AtRisk", _ => "OffTrack" },
                    ["Note"] = $"Check-in recorded during the benchmark, {n}.", ["EvidenceLink"] = "",
                }),
            };
            request.Headers.Add("Accept", "application/json");
            request.Headers.Add("RequestVerificationToken", token);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("saved").GetBoolean();
        }

        public void Dispose() => client.Dispose();
    }

    [GeneratedRegex("action=\"(?<action>[^\"]+/check-ins)\"")]
    private static partial Regex CheckInForm();

    [GeneratedRegex("name=\"Date\" value=\"(\\d{4}-\\d{2}-\\d{2})\"")]
    private static partial Regex CheckInDate();

    /// <summary>One team saving its ratings row after row through the autosave (JSON) path, as the page's script does.</summary>
    private sealed class Saver(HttpClient client, string rowsUrl, string token, Dictionary<string, string> versions, int seed) : IDisposable
    {
        private readonly string[] _rows = versions.Keys.ToArray();
        private int _next = seed;

        public async Task<bool> SaveNextAsync()
        {
            var n = _next++;
            var row = _rows[n % _rows.Length];
            using var request = new HttpRequestMessage(HttpMethod.Post, rowsUrl + row)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Level"] = (n % 4 + 1).ToString(CultureInfo.InvariantCulture),
                    ["Evidence"] = $"Evidence noted during the benchmark, draft {n}.",
                    ["Version"] = versions[row],
                }),
            };
            request.Headers.Add("Accept", "application/json");
            request.Headers.Add("RequestVerificationToken", token);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            versions[row] = json.RootElement.GetProperty("version").GetString() ?? "";
            return json.RootElement.GetProperty("saved").GetBoolean();
        }

        public void Dispose() => client.Dispose();
    }

    /// <summary>Latencies and errors of a window, and the CPU time the web process and this load generator used in it.</summary>
    private sealed record Measured(long[] LatencyTicks, long Errors, TimeSpan Elapsed, TimeSpan WebCpu = default, TimeSpan LoadCpu = default,
        TimeSpan DatabaseCpu = default);

    /// <summary>
    /// Load in slices of two seconds until the app's JIT compiler has (nearly) stopped: under 1 % of a slice's time spent
    /// compiling, at least the minimum warm-up and at most the maximum. On two busy cores .NET keeps recompiling hot
    /// methods (tiered compilation) for 20–40 s after start, at times taking half the CPU: a fixed short warm-up measured
    /// the compiler as much as the app, the baseline included.
    /// </summary>
    private async Task<TimeSpan> WarmUntilSteadyAsync(HttpClient client, WebApp web, Func<int, Func<Task<bool>>> workerAction)
    {
        var slice = TimeSpan.FromSeconds(2);
        var max = options.MaxGlobalWarmup > TimeSpan.Zero ? options.MaxGlobalWarmup : TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        var compiled = await web.JitMillisecondsAsync(client);
        while (clock.Elapsed < max)
        {
            var measured = await RunWindowAsync(options.Connections, workerAction, slice);
            var now = await web.JitMillisecondsAsync(client);
            var quiet = now - compiled < 0.01 * measured.Elapsed.TotalMilliseconds;
            compiled = now;
            if (quiet && clock.Elapsed >= options.GlobalWarmup) break;
        }
        return clock.Elapsed;
    }

    /// <summary>Warm-up, then a fixed measuring window; every worker stops by itself when the window closes.</summary>
    /// <summary>
    /// One GET, its whole body read (and discarded) into the worker's own buffer, as a browser reads a page: the load
    /// generator shares the app's two cores, so it should not spend them building a copy of every page it is sent.
    /// </summary>
    private static async Task<bool> ReadPageAsync(HttpClient client, string url, byte[] buffer)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        long read = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0) read += n;
        return response.StatusCode == HttpStatusCode.OK && (response.Content.Headers.ContentLength is not { } length || length == read);
    }

    private async Task<Measured> MeasureAsync(int workers, Func<int, Func<Task<bool>>> workerAction, WebApp web)
    {
        await RunWindowAsync(workers, workerAction, options.Warmup);
        // CPU time per request varies far less than throughput on a shared machine, and splits the cost between the app
        // and the load generator that shares its cores.
        var load = Process.GetCurrentProcess();
        var (webBefore, loadBefore, databaseBefore) = (web.ProcessorTime(), load.TotalProcessorTime, web.DatabaseProcessorTime());
        var measured = await RunWindowAsync(workers, workerAction, options.Duration);
        load.Refresh();
        return measured with
        {
            WebCpu = web.ProcessorTime() - webBefore,
            LoadCpu = load.TotalProcessorTime - loadBefore,
            DatabaseCpu = web.DatabaseProcessorTime() - databaseBefore,
        };
    }

    private static async Task<Measured> RunWindowAsync(int workers, Func<int, Func<Task<bool>>> workerAction, TimeSpan window)
    {
        var latencies = new List<long>[workers];
        var errors = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(i => Task.Run(async () =>
        {
            var action = workerAction(i);
            var mine = latencies[i] = new List<long>(4096);
            while (clock.Elapsed < window)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await action(); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException) { ok = false; }
                mine.Add(Stopwatch.GetTimestamp() - start);
                if (!ok) Interlocked.Increment(ref errors);
            }
        })));
        clock.Stop();
        return new Measured(latencies.SelectMany(l => l).ToArray(), errors, clock.Elapsed);
    }

    private static ScenarioResult Result(string database, string scenario, string method, Measured m, WebApp web)
    {
        Array.Sort(m.LatencyTicks);
        double Percentile(double p) => m.LatencyTicks.Length == 0 ? 0
            : Math.Round(m.LatencyTicks[Math.Min(m.LatencyTicks.Length - 1, (int)Math.Ceiling(p * m.LatencyTicks.Length) - 1)] * 1000.0 / Stopwatch.Frequency, 2);
        return new ScenarioResult(database, scenario, method, m.LatencyTicks.Length, m.Errors,
            Math.Round(m.LatencyTicks.Length / m.Elapsed.TotalSeconds, 1), Percentile(0.50), Percentile(0.95), Percentile(0.99), web.StatusMb("VmHWM:"),
            PerRequestUs(m.WebCpu, m.LatencyTicks.Length), PerRequestUs(m.LoadCpu, m.LatencyTicks.Length), PerRequestUs(m.DatabaseCpu, m.LatencyTicks.Length));
    }

    private static double PerRequestUs(TimeSpan cpu, int requests) => requests == 0 ? 0 : Math.Round(cpu.TotalMicroseconds / requests, 1);

    private static void Print(ScenarioResult r) =>
        Console.WriteLine($"   {r.Scenario,-18} {r.RequestsPerSecond,8:0.0} req/s  p50 {r.P50Ms,6:0.0} ms  p95 {r.P95Ms,6:0.0} ms  p99 {r.P99Ms,6:0.0} ms  errors {r.Errors}  peak {r.PeakMemoryMb:0} MB  CPU/request: web {r.WebCpuUsPerRequest:0} µs, database {r.DatabaseCpuUsPerRequest:0} µs, load {r.LoadCpuUsPerRequest:0} µs");

    private static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        if (!match.Success) throw new InvalidOperationException("No antiforgery token in the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory ?? "unknown memory"}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    // A row's form: its action, then (after the form's antiforgery field) the version of the stored rating.
    [GeneratedRegex("action=\"[^\"]*/rows/(?<row>[a-z0-9-]+)\"[^>]*>\\s*(?:<input[^>]*__RequestVerificationToken[^>]*>\\s*)?<input type=\"hidden\" name=\"Version\" value=\"(?<version>[^\"]*)\"")]
    private static partial Regex RowForm();
}
