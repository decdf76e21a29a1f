using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MicipPlanner.Bench;

public sealed record WorkshopLoadOptions(string WebDll, string Database, IReadOnlyList<int> Levels, int ParticipantsPerWorkshop, TimeSpan Warmup,
    TimeSpan Duration, int Port, string? ResultsFile, TimeSpan GlobalWarmup, TimeSpan MaxGlobalWarmup, int JoinConcurrency, double P95BudgetMs,
    string? Connection = null, int Instances = 1, bool Push = false);

public sealed record WorkshopKind(string Kind, long Requests, long Errors, long Conflicts, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms);

/// <summary>One level of the run: W workshops running at once, measured over one window (joins measured while they happened).</summary>
public sealed record WorkshopLevel(int Workshops, int Participants, double RequestsPerSecond, long Errors, double P95Ms, double RssMb, double PeakMb,
    double WebCpuUsPerRequest, double LoadCpuUsPerRequest, WorkshopKind Joins, List<WorkshopKind> Kinds, double DatabaseCpuUsPerRequest = 0,
    int ConnectionsHeld = 0, long Arrivals = 0, double ArrivalP50Ms = 0, double ArrivalP95Ms = 0, long PresenterTallies = 0);

public sealed record WorkshopRun(DateTimeOffset At, string Machine, string Database, int ParticipantsPerWorkshop, double DurationSeconds, double P95BudgetMs,
    List<WorkshopLevel> Levels, string Mode = "polling");

/// <summary>
/// The workshop load: W workshops in W districts, each with a presenter view and 25 participants who joined by code.
/// Every participant acts as the participant page's scripts do (an open loop, paced by the pages' own intervals, not as
/// fast as possible): it polls the workshop's step and the group's rating changes (one request) every 5 s, saves a rating every 15 s
/// (a 409 conflict with a groupmate's save is a normal answer) and reloads the page now and then; every presenter view
/// polls its tally every 3 s. The levels add workshops to those already running, in one web process.
/// With push (--push) nobody polls: each participant and presenter view holds a SignalR connection, as live.js does;
/// a participant takes its group's ratings from the messages themselves and asks its endpoint only when told that
/// something else changed; the presenter view takes its groups' ratings as heat map rows from the messages and asks
/// for its state only when told that something else changed; saves and page loads keep their pace. Either way the
/// run measures each save's arrival on the other screens of its group: from the moment the save's answer came back to
/// the moment another participant's answer carried that version.
/// </summary>
public sealed partial class LoadRunner
{
    // The pages' own pacing: workshop-participant.js polls every 5 s (step and rating changes in one answer),
    // workshop-presenter.js every 3 s;
    // the script saves after a 3 s pause in typing, so one rating or evidence save per person every 15 s is a busy room.
    public static readonly TimeSpan ParticipantPollInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PresenterPollInterval = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan PageInterval = TimeSpan.FromSeconds(60);

    public const string JoinKind = "join (POST /join)";
    public const string PollKind = "participant poll";
    public const string RatingSaveKind = "rating save";
    public const string PageKind = "participant page";
    public const string PresenterKind = "presenter tally poll";
    public const string ToldKind = "participant fetch when told";
    public const string PresenterToldKind = "presenter tally when told";
    private static readonly string[] SteadyKinds = [PollKind, ToldKind, RatingSaveKind, PageKind, PresenterKind, PresenterToldKind];

    /// <summary>A save should show on the other screens within a second (issue: live by push).</summary>
    public const double ArrivalBudgetMs = 1000;

    private const string AdminEmail = "admin@bench.example.org";

    /// <summary>Latencies per request kind, while a window is open; requests finishing outside a window are not kept.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<string, (List<long> Ticks, long Errors, long Conflicts)> _kinds = [];
        private readonly List<long> _arrivals = [];
        private long _talliesHeard;

        /// <summary>A presenter view was handed its heat map rows (nothing to ask).</summary>
        public void TallyHeard() => Interlocked.Increment(ref _talliesHeard);

        public long TalliesHeard => Interlocked.Read(ref _talliesHeard);

        public void Arrived(long ticks)
        {
            lock (_arrivals) _arrivals.Add(Math.Max(0, ticks));
        }

        public (long Count, double P50Ms, double P95Ms) Arrivals()
        {
            lock (_arrivals)
            {
                var ticks = _arrivals.ToArray();
                Array.Sort(ticks);
                double P(double p) => ticks.Length == 0 ? 0
                    : Math.Round(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)] * 1000.0 / Stopwatch.Frequency, 1);
                return (ticks.Length, P(0.50), P(0.95));
            }
        }

        public void Add(string kind, long ticks, bool ok, bool conflict = false)
        {
            lock (_kinds)
            {
                var entry = _kinds.TryGetValue(kind, out var e) ? e : ([], 0, 0);
                entry.Ticks.Add(ticks);
                _kinds[kind] = (entry.Ticks, entry.Errors + (ok ? 0 : 1), entry.Conflicts + (conflict ? 1 : 0));
            }
        }

        public WorkshopKind Kind(string kind, TimeSpan window)
        {
            lock (_kinds)
            {
                if (!_kinds.TryGetValue(kind, out var e)) return new WorkshopKind(kind, 0, 0, 0, 0, 0, 0, 0);
                var ticks = e.Ticks.ToArray();
                Array.Sort(ticks);
                double P(double p) => ticks.Length == 0 ? 0
                    : Math.Round(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)] * 1000.0 / Stopwatch.Frequency, 2);
                return new WorkshopKind(kind, ticks.Length, e.Errors, e.Conflicts, Math.Round(ticks.Length / window.TotalSeconds, 1), P(0.50), P(0.95), P(0.99));
            }
        }

        public long[] AllTicks()
        {
            lock (_kinds) return _kinds.Values.SelectMany(e => e.Ticks).ToArray();
        }
    }

    private sealed record Room(int DistrictId, int CycleId, List<int> GroupIds);

    /// <summary>A browser of its own: cookies kept per participant on a shared connection pool.</summary>
    private sealed class Browser(HttpClient http, string root)
    {
        private readonly CookieContainer _cookies = new();

        /// <summary>The seat's cookies, for its live connection.</summary>
        public CookieContainer Cookies => _cookies;

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? token = null, bool json = false)
        {
            var uri = new Uri(root + path);
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            var cookie = _cookies.GetCookieHeader(uri);
            if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
            if (json) request.Headers.Add("Accept", "application/json");
            if (token is not null) request.Headers.Add("RequestVerificationToken", token);
            var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var c in set) _cookies.SetCookies(uri, c);
            return response;
        }

        public async Task<string> GetStringAsync(string path)
        {
            using var response = await SendAsync(HttpMethod.Get, path);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
            return await response.Content.ReadAsStringAsync();
        }
    }

    /// <summary>
    /// When each saved version's answer came back, and whose save it was: its arrival elsewhere is measured from there.
    /// A version pushed to another screen before its save's answer came back arrived in no time (counted as 0 ms when
    /// the answer comes).
    /// </summary>
    private sealed class SaveLog
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long At, int Seed)> _saved = new();
        private readonly Dictionary<string, List<(int Seed, Tally Tally)>> _early = [];

        public void Saved(string version, int seed)
        {
            _saved[version] = (Stopwatch.GetTimestamp(), seed);
            List<(int Seed, Tally Tally)>? early;
            lock (_early)
            {
                if (!_early.Remove(version, out early)) return;
            }
            foreach (var seen in early.Where(e => e.Seed != seed)) seen.Tally.Arrived(0);
        }

        public void Seen(string version, int seed, Tally? tally)
        {
            if (tally is null) return;
            if (_saved.TryGetValue(version, out var save))
            {
                if (save.Seed != seed) tally.Arrived(Stopwatch.GetTimestamp() - save.At);
                return;
            }
            lock (_early)
            {
                // Checked again under the lock: the answer may have come in between.
                if (_saved.TryGetValue(version, out save))
                {
                    if (save.Seed != seed) tally.Arrived(Stopwatch.GetTimestamp() - save.At);
                    return;
                }
                if (!_early.TryGetValue(version, out var list)) _early[version] = list = [];
                list.Add((seed, tally));
            }
        }
    }

    /// <summary>
    /// A page's answer to "changed": one request at a time, and one more after it when told again meanwhile (as live.js and
    /// the pages' scripts do), each counted under its kind.
    /// </summary>
    private sealed class Follower(string kind, Func<Tally?> tally, Func<Task<(bool Ok, bool Conflict)>> fetch)
    {
        private readonly Lock _gate = new();
        private bool _asking, _again;

        public void Told()
        {
            lock (_gate)
            {
                if (_asking) { _again = true; return; }
                _asking = true;
            }
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    var start = Stopwatch.GetTimestamp();
                    bool ok, conflict = false;
                    try { (ok, conflict) = await fetch(); }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or IOException or ObjectDisposedException)
                    {
                        ok = false;
                    }
                    tally()?.Add(kind, Stopwatch.GetTimestamp() - start, ok, conflict);
                    lock (_gate)
                    {
                        if (!_again) { _asking = false; return; }
                        _again = false;
                    }
                }
            });
        }
    }

    /// <summary>A live connection as live.js opens it (WebSockets; a load generator skips the negotiation request).</summary>
    private static HubConnection LiveConnection(string url, CookieContainer cookies) => new HubConnectionBuilder()
        .WithUrl(url, options =>
        {
            options.Cookies = cookies;
            options.SkipNegotiation = true;
            options.Transports = HttpTransportType.WebSockets;
        })
        .Build();

    /// <summary>One person on a phone: joined, in a group, rating rows of the group's rubric.</summary>
    private sealed class Participant(Browser browser, int seed, SaveLog log)
    {
        private Func<Tally?> _tally = () => null;
        private readonly Dictionary<string, string> _versions = [];
        private readonly List<string> _rows = [];
        private string _token = "";
        private long _since;
        private string _step = "";
        private string _group = "";
        private int _saves;

        public async Task<bool> JoinAsync(string code, Func<Tally?> tally)
        {
            var form = await browser.GetStringAsync("/join");
            var start = Stopwatch.GetTimestamp();
            using (var response = await browser.SendAsync(HttpMethod.Post, "/join", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Code"] = code, ["Name"] = $"Participant {seed}", ["__RequestVerificationToken"] = Token(form),
            })))
            {
                var ok = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/join/workshop";
                tally()?.Add(JoinKind, Stopwatch.GetTimestamp() - start, ok);
                if (!ok) return false;
            }
            var page = await browser.GetStringAsync("/join/workshop");
            _token = Token(page);
            _since = long.Parse(Since().Match(page).Groups[1].Value, CultureInfo.InvariantCulture);
            var shown = StepAndGroup().Match(page);
            (_step, _group) = (shown.Groups["step"].Value, shown.Groups["group"].Value);
            foreach (Match m in RowForm().Matches(page))
            {
                _rows.Add(m.Groups["row"].Value);
                _versions[m.Groups["row"].Value] = m.Groups["version"].Value;
            }
            return _rows.Count > 0;
        }

        public Task[] Run(Func<Tally?> tally, CancellationToken stop)
        {
            _tally = tally;
            var random = new Random(seed);
            return
            [
                Every(ParticipantPollInterval, random, tally, PollKind, stop, PollAsync),
                .. Steady(random, tally, stop),
            ];
        }

        /// <summary>
        /// The page by push: a live connection to /join/live, the group's ratings taken from its messages, and the page's
        /// one request when told of anything else; saves and page loads as before. The connection closes when the run stops.
        /// </summary>
        public async Task<(HubConnection Live, Task[] Loops)> RunLiveAsync(string root, Func<Tally?> tally, CancellationToken stop)
        {
            _tally = tally;
            var live = LiveConnection(root + "/join/live", browser.Cookies);
            var follower = new Follower(ToldKind, tally, PollAsync);
            live.On("changed", follower.Told);
            // The group's ratings arrive whole while rating (as the page takes them): nothing to ask.
            live.On<JsonElement>("ratings", ratings =>
            {
                lock (_versions)
                {
                    foreach (var change in ratings.EnumerateArray())
                    {
                        var version = change.GetProperty("version").GetString() ?? "";
                        _versions[change.GetProperty("rowKey").GetString()!] = version;
                        log.Seen(version, seed, _tally());
                    }
                }
            });
            await live.StartAsync(stop);
            // What live.js does once connected: ask for what changed since the page was rendered.
            follower.Told();
            return (live, Steady(new Random(seed), tally, stop));
        }

        private Task[] Steady(Random random, Func<Tally?> tally, CancellationToken stop) =>
            [
                Every(SaveInterval, random, tally, RatingSaveKind, stop, SaveAsync),
                Every(PageInterval, random, tally, PageKind, stop, async () =>
                {
                    using var response = await browser.SendAsync(HttpMethod.Get, "/join/workshop");
                    await response.Content.ReadAsByteArrayAsync(stop);
                    return (response.StatusCode == HttpStatusCode.OK, false);
                }),
            ];

        /// <summary>The participant page's one poll: 204 when nothing moved, else the step, group and the group's rating changes.</summary>
        private async Task<(bool Ok, bool Conflict)> PollAsync()
        {
            using var response = await browser.SendAsync(HttpMethod.Get, $"/join/workshop/poll?step={_step}&group={_group}&since={_since}", json: true);
            if (response.StatusCode == HttpStatusCode.NoContent) return (true, false);
            if (response.StatusCode != HttpStatusCode.OK) return (false, false);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            var rubric = json.RootElement.GetProperty("rubric");
            lock (_versions)
            {
                _since = rubric.GetProperty("now").GetInt64();
                foreach (var change in rubric.GetProperty("changes").EnumerateArray())
                {
                    var version = change.GetProperty("version").GetString() ?? "";
                    _versions[change.GetProperty("rowKey").GetString()!] = version;
                    log.Seen(version, seed, _tally());
                }
            }
            return (true, false);
        }

        /// <summary>The autosave's request: level and evidence of one row with the version last seen; a 409 hands back theirs.</summary>
        private async Task<(bool Ok, bool Conflict)> SaveAsync()
        {
            var n = Interlocked.Increment(ref _saves);
            var row = _rows[(seed + n) % _rows.Count];
            string version;
            lock (_versions) version = _versions[row];
            using var response = await browser.SendAsync(HttpMethod.Post, $"/join/workshop/rows/{row}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Level"] = ((seed + n) % 4 + 1).ToString(CultureInfo.InvariantCulture),
                ["Evidence"] = $"Evidence from participant {seed}, note {n}.",
                ["Version"] = version,
            }), _token, json: true);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)) return (false, false);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            var conflict = response.StatusCode == HttpStatusCode.Conflict;
            var stored = conflict ? json.RootElement.GetProperty("theirs") : json.RootElement;
            var saved = stored.GetProperty("version").GetString() ?? "";
            if (!conflict) log.Saved(saved, seed);
            lock (_versions) _versions[row] = saved;
            return (true, conflict);
        }
    }

    /// <summary>
    /// Runs an action at a fixed pace until stopped, as the pages' scripts do (the next timer starts when the answer is
    /// in), starting at a random point of the first interval so that a room does not poll in step.
    /// </summary>
    private static Task Every(TimeSpan interval, Random random, Func<Tally?> tally, string kind, CancellationToken stop, Func<Task<(bool Ok, bool Conflict)>> action) =>
        Task.Run(async () =>
        {
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * interval.TotalMilliseconds);
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(delay, stop); }
                catch (TaskCanceledException) { return; }
                delay = interval;
                var start = Stopwatch.GetTimestamp();
                bool ok, conflict = false;
                try { (ok, conflict) = await action(); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or IOException)
                {
                    if (stop.IsCancellationRequested) return;
                    ok = false;
                }
                tally()?.Add(kind, Stopwatch.GetTimestamp() - start, ok, conflict);
            }
        });

    public static async Task<WorkshopRun> RunWorkshopsAsync(WorkshopLoadOptions options)
    {
        var database = BenchDatabase.Open(options.Database, options.Connection);
        var manifest = database.Manifest;
        var levels = options.Levels.Order().ToList();
        var rooms = ReadRooms(database, levels[^1]);
        if (rooms.Count < levels[^1]) throw new InvalidOperationException($"Only {rooms.Count} districts have an open cycle with rating groups.");
        var name = options.Instances == 1 ? database.Name : $"{database.Name}, {options.Instances} instances behind nginx";
        var mode = options.Push ? "push" : "polling";
        Console.WriteLine($"== workshop load ({mode}) on {name}: {string.Join(", ", levels)} workshops of {options.ParticipantsPerWorkshop} participants");

        var root = $"http://127.0.0.1:{options.Port}";
        // Every participant's browser shares one connection pool (cookies are kept per participant), as a reverse proxy
        // pools its connections to the app: thousands of phones do not mean thousands of page-request sockets. The pool
        // is bounded, so that an overloaded app's slow answers make requests wait for a connection (counted in their
        // time) rather than open thousands more, each an open file of both processes.
        using var shared = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 1024,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        using var stopping = new CancellationTokenSource();
        var loops = new List<Task>();
        var lives = new List<HubConnection>();
        var log = new SaveLog();
        var web = WebApp.Start(options.WebDll, database, options.Port, options.Instances);
        try
        {
            var cold = await web.WaitUntilReadyAsync();
            Console.WriteLine($"   started in {cold.TotalSeconds:0.00} s");
            var adminCookies = new CookieContainer();
            using var admin = await SignedInClientAsync(AdminEmail, manifest.Password, 256, root, adminCookies);
            Tally? current = null;
            var joining = new Tally();
            Tally? Current() => current;
            Tally? Joining() => joining;

            var results = new List<WorkshopLevel>();
            var running = 0;
            var participants = 0;
            foreach (var level in levels)
            {
                joining = new Tally();
                var joinClock = Stopwatch.StartNew();
                for (; running < level; running++)
                {
                    var room = rooms[running];
                    var (workshop, code) = await StartWorkshopAsync(admin, root, room, database);
                    var presenterUrl = $"/districts/{room.DistrictId}/cycles/{room.CycleId}/workshops/{workshop}";
                    var presenter = await admin.GetStringAsync(presenterUrl);
                    var version = PresenterVersion().Match(presenter).Groups[1].Value;
                    async Task<(bool Ok, bool Conflict)> AskTally()
                    {
                        using var response = await admin.GetAsync($"{presenterUrl}/state?v={version}", stopping.Token);
                        if (response.StatusCode != HttpStatusCode.OK) return (false, false);
                        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(stopping.Token));
                        if (json.RootElement.TryGetProperty("v", out var v)) version = v.GetInt64().ToString(CultureInfo.InvariantCulture);
                        return (true, false);
                    }
                    if (options.Push)
                    {
                        // The presenter view's connection watches its district and workshop: its groups' ratings arrive as
                        // heat map rows ("tally"); it asks for its state when anything else moved the district's version.
                        var live = LiveConnection(root + "/live", adminCookies);
                        var follower = new Follower(PresenterToldKind, Current, AskTally);
                        live.On<JsonElement>("changed", message =>
                        {
                            if (!message.GetProperty("onlyRatings").GetBoolean()
                                && message.GetProperty("version").GetInt64() > long.Parse(version, CultureInfo.InvariantCulture)) follower.Told();
                        });
                        live.On<JsonElement>("tally", _ => Current()?.TallyHeard());
                        await live.StartAsync();
                        if (!await live.InvokeAsync<bool>("Present", room.DistrictId, room.CycleId, workshop))
                            throw new InvalidOperationException($"The presenter's live connection may not present workshop {workshop}.");
                        lock (loops) lives.Add(live);
                    }
                    else loops.Add(Every(PresenterPollInterval, new Random(running), Current, PresenterKind, stopping.Token, AskTally));
                    // People join a few at a time, as a room does; each starts its page's timers as soon as it is in.
                    using var gate = new SemaphoreSlim(options.JoinConcurrency);
                    await Task.WhenAll(Enumerable.Range(0, options.ParticipantsPerWorkshop).Select(async i =>
                    {
                        await gate.WaitAsync();
                        var attempt = Stopwatch.GetTimestamp();
                        try
                        {
                            // A refused join was counted by JoinAsync; that person simply stays out of the room.
                            var participant = new Participant(new Browser(shared, root), running * 1000 + i, log);
                            if (!await participant.JoinAsync(code, Joining)) return;
                            if (options.Push)
                            {
                                var (live, steady) = await participant.RunLiveAsync(root, Current, stopping.Token);
                                lock (loops) { lives.Add(live); loops.AddRange(steady); }
                            }
                            else lock (loops) loops.AddRange(participant.Run(Current, stopping.Token));
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException
                            or System.Net.WebSockets.WebSocketException)
                        {
                            // A timeout on an overloaded app is an error of the level, not the end of the run.
                            joining.Add(JoinKind, Stopwatch.GetTimestamp() - attempt, ok: false);
                        }
                        finally { gate.Release(); }
                    }));
                    participants += options.ParticipantsPerWorkshop;
                }
                Console.WriteLine($"   W={level}: {participants} participants joined in {joinClock.Elapsed.TotalSeconds:0} s");

                if (results.Count == 0)
                {
                    var warmed = await WarmWorkshopsAsync(admin, web, options);
                    Console.WriteLine($"   warm-up until the JIT compiler is quiet: {warmed.TotalSeconds:0} s");
                }
                else await Task.Delay(options.Warmup);

                var load = Process.GetCurrentProcess();
                var (webBefore, loadBefore, databaseBefore) = (web.ProcessorTime(), load.TotalProcessorTime, web.DatabaseProcessorTime());
                var window = new Tally();
                current = window;
                var clock = Stopwatch.StartNew();
                await Task.Delay(options.Duration);
                current = null;
                clock.Stop();
                load.Refresh();
                int held;
                lock (loops) held = lives.Count(l => l.State == HubConnectionState.Connected);
                var result = Level(level, participants, window, joining, clock.Elapsed, web, web.ProcessorTime() - webBefore, load.TotalProcessorTime - loadBefore,
                    web.DatabaseProcessorTime() - databaseBefore) with
                { ConnectionsHeld = held };
                var arrivals = window.Arrivals();
                result = result with { Arrivals = arrivals.Count, ArrivalP50Ms = arrivals.P50Ms, ArrivalP95Ms = arrivals.P95Ms, PresenterTallies = window.TalliesHeard };
                results.Add(result);
                Console.WriteLine($"   W={level}: {result.RequestsPerSecond,7:0} req/s  p95 {result.P95Ms,6:0.0} ms  errors {result.Errors}  web CPU {result.WebCpuUsPerRequest:0} µs/req  database CPU {result.DatabaseCpuUsPerRequest:0} µs/req  RSS {result.RssMb:0} MB");
                Console.WriteLine($"      arrival on the group's other screens: p50 {result.ArrivalP50Ms:0} ms  p95 {result.ArrivalP95Ms:0} ms ({result.Arrivals} arrivals)  live connections held {held}  presenter tallies heard {result.PresenterTallies / clock.Elapsed.TotalSeconds:0.0}/s");
                foreach (var kind in result.Kinds)
                    Console.WriteLine($"      {kind.Kind,-24} {kind.RequestsPerSecond,7:0.0}/s  p50 {kind.P50Ms,6:0.0}  p95 {kind.P95Ms,6:0.0}  p99 {kind.P99Ms,6:0.0} ms  errors {kind.Errors}  conflicts {kind.Conflicts}");
            }
            return new WorkshopRun(DateTimeOffset.UtcNow, MachineDescription(), name, options.ParticipantsPerWorkshop,
                options.Duration.TotalSeconds, options.P95BudgetMs, results, mode);
        }
        finally
        {
            await stopping.CancelAsync();
            Task[] all;
            lock (loops) all = [.. loops, .. lives.Select(l => l.DisposeAsync().AsTask())];
            await Task.WhenAll(all);
            await web.DisposeAsync();
        }
    }

    private static WorkshopLevel Level(int workshops, int participants, Tally window, Tally joins, TimeSpan elapsed, WebApp web, TimeSpan webCpu, TimeSpan loadCpu,
        TimeSpan databaseCpu)
    {
        var kinds = SteadyKinds.Select(k => window.Kind(k, elapsed)).Where(k => k.Requests > 0).ToList();
        var all = window.AllTicks();
        Array.Sort(all);
        var p95 = all.Length == 0 ? 0 : Math.Round(all[Math.Min(all.Length - 1, (int)Math.Ceiling(0.95 * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency, 2);
        return new WorkshopLevel(workshops, participants, Math.Round(all.Length / elapsed.TotalSeconds, 1), kinds.Sum(k => k.Errors), p95,
            web.StatusMb("VmRSS:"), web.StatusMb("VmHWM:"), PerRequestUs(webCpu, all.Length), PerRequestUs(loadCpu, all.Length),
            joins.Kind(JoinKind, elapsed), kinds, PerRequestUs(databaseCpu, all.Length));
    }

    /// <summary>Lets the running workshops go on until the app's JIT compiler is quiet (as the other loads warm up).</summary>
    private static async Task<TimeSpan> WarmWorkshopsAsync(HttpClient admin, WebApp web, WorkshopLoadOptions options)
    {
        var slice = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        var compiled = await web.JitMillisecondsAsync(admin);
        while (clock.Elapsed < options.MaxGlobalWarmup)
        {
            await Task.Delay(slice);
            var now = await web.JitMillisecondsAsync(admin);
            var quiet = now - compiled < 0.01 * slice.TotalMilliseconds;
            compiled = now;
            if (quiet && clock.Elapsed >= options.GlobalWarmup) break;
        }
        return clock.Elapsed;
    }

    /// <summary>Starts a workshop as a facilitator does (the start form, then opening Activity 2) and reads its join code.</summary>
    private static async Task<(int Workshop, string Code)> StartWorkshopAsync(HttpClient admin, string root, Room room, BenchDatabase database)
    {
        var workshops = $"{root}/districts/{room.DistrictId}/cycles/{room.CycleId}/workshops";
        var token = Token(await admin.GetStringAsync(workshops + "/new"));
        var form = new List<KeyValuePair<string, string>>
        {
            new("Activity1", "false"), new("Activity2", "true"), new("Activity3", "false"), new("Assignment", "RoundRobin"),
            new("__RequestVerificationToken", token),
        };
        form.AddRange(room.GroupIds.Select(id => new KeyValuePair<string, string>("GroupIds", id.ToString(CultureInfo.InvariantCulture))));
        using var started = await admin.PostAsync(workshops, new FormUrlEncodedContent(form));
        var location = started.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"Starting a workshop answered {(int)started.StatusCode}.");
        var id = int.Parse(location[(location.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        using var step = await admin.PostAsync($"{workshops}/{id}/step", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Step"] = "Activity2", ["__RequestVerificationToken"] = token,
        }));
        if ((int)step.StatusCode is < 300 or >= 400) throw new InvalidOperationException($"Opening Activity 2 answered {(int)step.StatusCode}.");

        var code = database.Read("""SELECT "Code" FROM "Workshops" WHERE "Id" = @id""", new Dictionary<string, object> { ["@id"] = id }, r => r.GetString(0)).Single();
        return (id, code);
    }

    /// <summary>Districts whose latest cycle still takes ratings and has small groups: one workshop each.</summary>
    private static List<Room> ReadRooms(BenchDatabase database, int count)
    {
        var groups = database.Read("""
            SELECT c."DistrictId", c."Id", g."Id" FROM "Cycles" c JOIN "RatingGroups" g ON g."CycleId" = c."Id" AND NOT g."IsWholeTeam"
            WHERE c."RubricFinalizedAt" IS NULL AND c."StartYear" = (SELECT MAX(l."StartYear") FROM "Cycles" l WHERE l."DistrictId" = c."DistrictId")
            ORDER BY c."DistrictId", g."Id"
            """, new Dictionary<string, object>(), r => (District: r.GetInt32(0), Cycle: r.GetInt32(1), Group: r.GetInt32(2)));
        return groups.GroupBy(g => (g.District, g.Cycle)).Take(count)
            .Select(g => new Room(g.Key.District, g.Key.Cycle, g.Select(x => x.Group).ToList())).ToList();
    }

    /// <summary>
    /// The levels as Markdown tables, per level and per request kind (medians over the runs given; errors and conflicts
    /// summed), and the largest W whose every request kind kept p95 within the budget with no errors.
    /// </summary>
    public static string WorkshopMarkdown(IReadOnlyList<WorkshopRun> runs)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            if (sorted.Count == 0) return 0;
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
        var run = runs[0];
        var levels = runs.SelectMany(r => r.Levels).GroupBy(l => l.Workshops).OrderBy(g => g.Key).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {run.Machine}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{run.Database} ({run.Mode}): workshops of {run.ParticipantsPerWorkshop} participants, {run.DurationSeconds:0} s per level, levels cumulative in one running app; median of {runs.Count} run(s).");
        text.AppendLine();
        text.AppendLine("| W | participants | req/s | p95 ms (all) | errors | arrival p50 / p95 ms | live connections | web RSS MB | peak MB | web CPU µs/req | database server CPU µs/req | load CPU µs/req | join p50 / p95 ms |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in levels)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.First().Participants} | {Median(g.Select(l => l.RequestsPerSecond)):0} | {Median(g.Select(l => l.P95Ms)):0.0} | {g.Sum(l => l.Errors + l.Joins.Errors)} | {Median(g.Select(l => l.ArrivalP50Ms)):0} / {Median(g.Select(l => l.ArrivalP95Ms)):0} | {Median(g.Select(l => (double)l.ConnectionsHeld)):0} | {Median(g.Select(l => l.RssMb)):0} | {g.Max(l => l.PeakMb):0} | {Median(g.Select(l => l.WebCpuUsPerRequest)):0} | {Median(g.Select(l => l.DatabaseCpuUsPerRequest)):0} | {Median(g.Select(l => l.LoadCpuUsPerRequest)):0} | {Median(g.Select(l => l.Joins.P50Ms)):0.0} / {Median(g.Select(l => l.Joins.P95Ms)):0.0} |");
        text.AppendLine();
        text.AppendLine("| W | request | req/s | p50 ms | p95 ms | p99 ms | errors | 409 conflicts |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        var within = 0;
        foreach (var g in levels)
        {
            var kinds = g.SelectMany(l => l.Kinds).GroupBy(k => k.Kind).OrderBy(k => Array.IndexOf(SteadyKinds, k.Key)).ToList();
            foreach (var k in kinds)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {g.Key} | {k.Key} | {Median(k.Select(x => x.RequestsPerSecond)):0.0} | {Median(k.Select(x => x.P50Ms)):0.0} | {Median(k.Select(x => x.P95Ms)):0.0} | {Median(k.Select(x => x.P99Ms)):0.0} | {k.Sum(x => x.Errors)} | {k.Sum(x => x.Conflicts)} |");
            if (g.Sum(l => l.Errors + l.Joins.Errors) == 0 && kinds.All(k => Median(k.Select(x => x.P95Ms)) <= run.P95BudgetMs)
                && Median(g.Select(l => l.ArrivalP95Ms)) <= ArrivalBudgetMs) within = g.Key;
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Largest W measured with every request kind's p95 ≤ {run.P95BudgetMs:0} ms, arrival p95 ≤ {ArrivalBudgetMs:0} ms and no errors: {(within == 0 ? "none" : within.ToString(CultureInfo.InvariantCulture))}.");
        return text.ToString();
    }

    [GeneratedRegex("data-since=\"(\\d+)\"")]
    private static partial Regex Since();

    [GeneratedRegex("id=\"participant-page\"[^>]*data-step=\"(?<step>\\w+)\" data-group=\"(?<group>\\d*)\"")]
    private static partial Regex StepAndGroup();

    [GeneratedRegex("id=\"presenter\"[^>]*data-version=\"(\\d+)\"")]
    private static partial Regex PresenterVersion();
}
