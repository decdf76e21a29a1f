using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MicipPlanner.Bench;

/// <summary>One way to run the app in the mixed load: a name and the settings (environment variables) it starts with.</summary>
public sealed record AppConfiguration(string Name, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>Parses <c>NAME</c> or <c>NAME:Setting__Key=value,Other__Key=value</c>.</summary>
    public static AppConfiguration Parse(string text)
    {
        var parts = text.Split(':', 2);
        var settings = parts.Length == 1 || parts[1].Length == 0
            ? new Dictionary<string, string>()
            : parts[1].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        return new AppConfiguration(parts[0], settings);
    }
}

public sealed record MixedOptions(string WebDll, string Database, IReadOnlyList<AppConfiguration> Configurations, IReadOnlyList<int> ReadsPerSave,
    int Connections, TimeSpan Warmup, TimeSpan Duration, int Rounds, int FirstPort, string? ResultsFile, TimeSpan GlobalWarmup, TimeSpan MaxGlobalWarmup,
    string? Connection = null, int Instances = 1);

/// <summary>One measuring window: one configuration of the app under one mix, in one round.</summary>
public sealed record MixedWindow(int Round, string Mix, string Configuration, long Reads, long Saves, long Errors, double OperationsPerSecond,
    double ReadP50Ms, double ReadP95Ms, double SaveP50Ms, double SaveP95Ms, double WebCpuUsPerOperation, double RssMb, double PeakMb,
    double DatabaseCpuUsPerOperation = 0);

public sealed record MixedRun(DateTimeOffset At, string Machine, string Database, int Connections, double DurationSeconds, int Readers,
    int RatingSlots, int TemplateSlots, List<string> Configurations, List<MixedWindow> Windows);

/// <summary>
/// The mixed load: many people of one district read its key pages while others save ratings and template items in the
/// same district, one save per N reads. Every configuration of the app runs as its own process on the same database at
/// once, and the measuring windows take turns (round 1: A, B, C…; round 2: B, C…, A; …) so that the noise of a shared
/// machine falls on every configuration alike; only one process is loaded at a time.
/// </summary>
public sealed partial class LoadRunner
{
    public static string MixName(int readsPerSave) => readsPerSave <= 0 ? "reads only" : $"1 save per {readsPerSave} reads";

    private sealed record Node(AppConfiguration Configuration, string Root, WebApp Web);

    private sealed record Reader(HttpClient Client, List<string> Pages);

    public static async Task<MixedRun> RunMixedAsync(MixedOptions options)
    {
        var database = BenchDatabase.Open(options.Database, options.Connection);
        var manifest = database.Manifest;
        var t = manifest.Target;
        var cycleRoot = $"/districts/{t.DistrictId}/cycles/{t.CycleId}";
        var (people, buildings, groups) = ReadDistrict(database, t.DistrictId, t.CycleId);
        var name = options.Instances == 1 ? database.Name : $"{database.Name}, {options.Instances} instances behind nginx";
        Console.WriteLine($"== mixed load on {name}: district {t.DistrictId}, {people.Count} people, {buildings.Count} buildings, {groups.Count} rating groups");

        // One process per configuration, started one after the other so the first creates the data-protection key
        // (kept in the database) that the others then share: a sign-in and a request token are valid in all of them.
        var nodes = new List<Node>();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < options.Configurations.Count; i++)
            {
                var configuration = options.Configurations[i];
                // Each configuration's ports: its own, or nginx's followed by its instances'.
                var web = WebApp.Start(options.WebDll, database, options.FirstPort + i * (options.Instances == 1 ? 1 : options.Instances + 1), options.Instances,
                    configuration.Settings);
                nodes.Add(new Node(configuration, web.Root, web));
                var cold = await web.WaitUntilReadyAsync();
                Console.WriteLine($"   {configuration.Name}: started on {web.Root} in {cold.TotalSeconds:0.00} s");
            }
            var first = nodes[0].Root;

            // Every person of the district signs in once, in a browser of their own; cookies do not depend on the port.
            var signedIn = new HttpClient[people.Count];
            using (var gate = new SemaphoreSlim(4))
            {
                await Task.WhenAll(people.Select(async (p, i) =>
                {
                    await gate.WaitAsync();
                    try { signedIn[i] = await SignedInClientAsync(p.Email, manifest.Password, options.Connections, first); }
                    finally { gate.Release(); }
                }));
            }
            clients.AddRange(signedIn);

            // Readers: each person reads the key pages they may open (a building team opens its own building's template).
            var readers = new List<Reader>();
            for (var i = 0; i < people.Count; i++)
            {
                var building = people[i].BuildingId ?? t.BuildingId;
                string[] candidates =
                [
                    cycleRoot, $"{cycleRoot}/rubric?group={groups[i % groups.Count]}", $"{cycleRoot}/rubric/compare",
                    $"{cycleRoot}/balance/buildings/{building}", $"{cycleRoot}/balance/rollup", $"{cycleRoot}/monitoring",
                ];
                var pages = new List<string>();
                foreach (var page in candidates)
                {
                    using var response = await signedIn[i].GetAsync(first + page);
                    if (response.StatusCode == HttpStatusCode.OK) pages.Add(page);
                }
                if (pages.Count > 0) readers.Add(new Reader(signedIn[i], pages));
            }

            // Savers: every rating row of every group, and every template the district can still edit, each owned by one
            // saver at a time (as one person types in one row), so saves do not conflict with each other.
            var slots = new List<SaveSlot>();
            var districtTeam = people.Select((p, i) => (p, i)).Where(x => x.p.BuildingId is null).Select(x => signedIn[x.i]).ToList();
            for (var g = 0; g < groups.Count; g++)
            {
                var client = districtTeam[g % districtTeam.Count];
                var rubric = $"{cycleRoot}/rubric";
                var page = await client.GetStringAsync($"{first}{rubric}?group={groups[g]}");
                var token = Token(page);
                foreach (Match m in RowForm().Matches(page))
                    slots.Add(new RatingSlot(client, $"{rubric}/groups/{groups[g]}/rows/{m.Groups["row"].Value}", token, m.Groups["version"].Value, slots.Count));
            }
            var ratingSlots = slots.Count;
            var editors = buildings.Select(b => (Url: $"{cycleRoot}/balance/buildings/{b}",
                    Client: people.Select((p, i) => (p, i)).Where(x => x.p.BuildingId == b).Select(x => signedIn[x.i]).FirstOrDefault()))
                .Append((Url: $"{cycleRoot}/balance/district", Client: districtTeam[0]));
            foreach (var (url, client) in editors)
            {
                if (client is null) continue;
                var page = await client.GetStringAsync(first + url);
                var version = TemplateVersion().Match(page);
                var item = TemplateItem().Match(page);
                if (!version.Success || !item.Success) continue; // read-only (submitted or accepted)
                var slot = new TemplateSlot(client, url, Token(page), version.Groups[1].Value, item.Groups["row"].Value, item.Groups["function"].Value, slots.Count);
                if (await slot.SaveAsync(first)) slots.Add(slot);
            }
            var templateSlots = slots.Count - ratingSlots;
            // Check-ins at the monitoring meeting: one slot per activity, recorded by the district team in turn.
            var meeting = await districtTeam[0].GetStringAsync($"{first}{cycleRoot}/monitoring");
            var checkInDate = CheckInDate().Match(meeting);
            var activityForms = CheckInForm().Matches(meeting).Select(m => m.Groups["action"].Value).ToList();
            if (checkInDate.Success)
                for (var a = 0; a < activityForms.Count; a++)
                    slots.Add(new CheckInSlot(districtTeam[a % districtTeam.Count], activityForms[a], Token(await districtTeam[a % districtTeam.Count].GetStringAsync($"{first}{cycleRoot}/monitoring")),
                        checkInDate.Groups[1].Value, slots.Count));
            Console.WriteLine($"   {activityForms.Count} activities to check in on at the meeting");
            Console.WriteLine($"   {readers.Count} readers, {ratingSlots} rating rows and {templateSlots} templates to save");
            if (readers.Count == 0 || slots.Count == 0) throw new InvalidOperationException("The district has no readable pages or nothing to save.");

            var pool = new SlotPool(slots);
            var mixes = options.ReadsPerSave;
            var warmMix = mixes.FirstOrDefault(m => m > 0, 10);
            foreach (var node in nodes)
            {
                var warmedFor = await WarmNodeAsync(node, readers, pool, warmMix, options);
                Console.WriteLine($"   {node.Configuration.Name}: warm-up until the JIT compiler is quiet: {warmedFor.TotalSeconds:0} s");
            }

            var windows = new List<MixedWindow>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var readsPerSave in mixes)
                {
                    // Each round starts with the next configuration, so none always follows the same one.
                    for (var k = 0; k < nodes.Count; k++)
                    {
                        var node = nodes[(k + round - 1) % nodes.Count];
                        await MixedWindowAsync(node, readers, pool, readsPerSave, options.Connections, options.Warmup);
                        var (cpuBefore, databaseBefore) = (node.Web.ProcessorTime(), node.Web.DatabaseProcessorTime());
                        var measured = await MixedWindowAsync(node, readers, pool, readsPerSave, options.Connections, options.Duration);
                        var window = Window(round, MixName(readsPerSave), node, measured, node.Web.ProcessorTime() - cpuBefore,
                            node.Web.DatabaseProcessorTime() - databaseBefore);
                        windows.Add(window);
                        Console.WriteLine($"   round {round} {window.Mix,-22} {window.Configuration,-26} {window.OperationsPerSecond,8:0} req/s  read p95 {window.ReadP95Ms,6:0.0} ms  save p95 {window.SaveP95Ms,6:0.0} ms  errors {window.Errors}  web CPU {window.WebCpuUsPerOperation:0} µs/req  database CPU {window.DatabaseCpuUsPerOperation:0} µs/req  RSS {window.RssMb:0} MB");
                    }
                }
            }
            return new MixedRun(DateTimeOffset.UtcNow, MachineDescription(), name, options.Connections,
                options.Duration.TotalSeconds, readers.Count, ratingSlots, templateSlots, nodes.Select(n => n.Configuration.Name).ToList(), windows);
        }
        finally
        {
            foreach (var client in clients) client?.Dispose();
            foreach (var node in nodes) await node.Web.DisposeAsync();
        }
    }

    private sealed record Person(string Email, int? BuildingId);

    /// <summary>The district's people (one row per person: a building team member's building, or null for the district team), buildings and rating groups.</summary>
    private static (List<Person> People, List<int> Buildings, List<int> Groups) ReadDistrict(BenchDatabase database, int districtId, int cycleId)
    {
        var district = new Dictionary<string, object> { ["@id"] = districtId };
        var people = database.Read("""
            SELECT u."Email", MIN(m."BuildingId") FROM "TeamMemberships" m JOIN "AspNetUsers" u ON u."Id" = m."UserId"
            WHERE m."DistrictId" = @id GROUP BY u."Email" ORDER BY MIN(m."Id")
            """, district, r => new Person(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt32(1)));
        var buildings = database.Read("""SELECT "Id" FROM "Buildings" WHERE "DistrictId" = @id ORDER BY "Id" """, district, r => r.GetInt32(0));
        var groups = database.Read("""SELECT "Id" FROM "RatingGroups" WHERE "CycleId" = @id ORDER BY "Id" """, new Dictionary<string, object> { ["@id"] = cycleId }, r => r.GetInt32(0));
        return (people, buildings, groups);
    }

    private static async Task<TimeSpan> WarmNodeAsync(Node node, List<Reader> readers, SlotPool pool, int readsPerSave, MixedOptions options)
    {
        var slice = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        var compiled = await node.Web.JitMillisecondsAsync(readers[0].Client);
        while (clock.Elapsed < options.MaxGlobalWarmup)
        {
            var measured = await MixedWindowAsync(node, readers, pool, readsPerSave, options.Connections, slice);
            var now = await node.Web.JitMillisecondsAsync(readers[0].Client);
            var quiet = now - compiled < 0.01 * measured.Elapsed.TotalMilliseconds;
            compiled = now;
            if (quiet && clock.Elapsed >= options.GlobalWarmup) break;
        }
        return clock.Elapsed;
    }

    private sealed record MixedMeasured(long[] ReadTicks, long[] SaveTicks, long Errors, TimeSpan Elapsed);

    /// <summary>
    /// A closed loop of N connections against one process for a fixed time: every (N+1)-th operation across all
    /// connections is a save (taken by whichever connection draws it), the others are page reads, each connection
    /// reading as one person, page after page.
    /// </summary>
    private static async Task<MixedMeasured> MixedWindowAsync(Node node, List<Reader> readers, SlotPool pool, int readsPerSave, int workers, TimeSpan window)
    {
        var reads = new List<long>[workers];
        var saves = new List<long>[workers];
        var errors = 0L;
        var operations = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(i => Task.Run(async () =>
        {
            var reader = readers[i % readers.Count];
            var buffer = new byte[64 * 1024];
            var next = i;
            var myReads = reads[i] = new List<long>(4096);
            var mySaves = saves[i] = new List<long>(1024);
            while (clock.Elapsed < window)
            {
                var isSave = readsPerSave > 0 && Interlocked.Increment(ref operations) % (readsPerSave + 1) == 0;
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    if (isSave)
                    {
                        var slot = await pool.TakeAsync();
                        try { ok = await slot.SaveAsync(node.Root); }
                        finally { pool.Return(slot); }
                    }
                    else
                    {
                        ok = await ReadPageAsync(reader.Client, node.Root + reader.Pages[next++ % reader.Pages.Count], buffer);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    ok = false;
                }
                (isSave ? mySaves : myReads).Add(Stopwatch.GetTimestamp() - start);
                if (!ok) Interlocked.Increment(ref errors);
            }
        })));
        clock.Stop();
        return new MixedMeasured(reads.SelectMany(l => l).ToArray(), saves.SelectMany(l => l).ToArray(), errors, clock.Elapsed);
    }

    private static MixedWindow Window(int round, string mix, Node node, MixedMeasured m, TimeSpan webCpu, TimeSpan databaseCpu)
    {
        static double Percentile(long[] ticks, double p)
        {
            if (ticks.Length == 0) return 0;
            Array.Sort(ticks);
            return Math.Round(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)] * 1000.0 / Stopwatch.Frequency, 2);
        }
        var operations = m.ReadTicks.Length + m.SaveTicks.Length;
        return new MixedWindow(round, mix, node.Configuration.Name, m.ReadTicks.Length, m.SaveTicks.Length, m.Errors,
            Math.Round(operations / m.Elapsed.TotalSeconds, 1), Percentile(m.ReadTicks, 0.50), Percentile(m.ReadTicks, 0.95),
            Percentile(m.SaveTicks, 0.50), Percentile(m.SaveTicks, 0.95), PerRequestUs(webCpu, operations),
            node.Web.StatusMb("VmRSS:"), node.Web.StatusMb("VmHWM:"), PerRequestUs(databaseCpu, operations));
    }

    private sealed class SlotPool(List<SaveSlot> slots)
    {
        private readonly ConcurrentQueue<SaveSlot> _free = new(slots);
        private readonly SemaphoreSlim _available = new(slots.Count);

        public async Task<SaveSlot> TakeAsync()
        {
            await _available.WaitAsync();
            return _free.TryDequeue(out var slot) ? slot : throw new InvalidOperationException("Slot pool out of step.");
        }

        public void Return(SaveSlot slot)
        {
            _free.Enqueue(slot);
            _available.Release();
        }
    }

    private abstract class SaveSlot(HttpClient client, string url, string token, string version)
    {
        protected string Version { get; private set; } = version;
        protected int Count { get; private set; }

        protected abstract Dictionary<string, string> Form();

        /// <summary>One autosave (the JSON path the pages' scripts use), carrying on from the version the last one returned.</summary>
        public async Task<bool> SaveAsync(string root)
        {
            Count++;
            using var request = new HttpRequestMessage(HttpMethod.Post, root + url) { Content = new FormUrlEncodedContent(Form()) };
            request.Headers.Add("Accept", "application/json");
            request.Headers.Add("RequestVerificationToken", token);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            // A rating row or template carries on from the version saved; a check-in is a new record each time.
            if (json.RootElement.TryGetProperty("version", out var version)) Version = version.GetString() ?? "";
            return json.RootElement.GetProperty("saved").GetBoolean();
        }
    }

    private sealed class RatingSlot(HttpClient client, string url, string token, string version, int seed) : SaveSlot(client, url, token, version)
    {
        protected override Dictionary<string, string> Form() => new()
        {
            ["Level"] = ((seed + Count) % 4 + 1).ToString(CultureInfo.InvariantCulture),
            ["Evidence"] = $"Evidence noted during the mixed load, draft {Count}.",
            ["Version"] = Version,
        };
    }

    private sealed class TemplateSlot(HttpClient client, string url, string token, string version, string row, string function, int seed)
        : SaveSlot(client, url, token, version)
    {
        protected override Dictionary<string, string> Form() => new()
        {
            ["Items[0].RowNumber"] = row,
            ["Items[0].Function"] = function,
            ["Items[0].Evidence"] = $"Evidence gathered during the mixed load, draft {seed}.{Count}.",
            ["Items[0].NextAction"] = $"Next action drafted during the mixed load, draft {Count}.",
            ["Version"] = Version,
        };
    }

    private sealed class CheckInSlot(HttpClient client, string url, string token, string date, int seed) : SaveSlot(client, url, token, "")
    {
        protected override Dictionary<string, string> Form() => new()
        {
            ["Date"] = date,
            ["Judgment"] = ((seed + Count) % 3) switch { 0 => "OnTrack", 1 => "AtRisk", _ => "OffTrack" },
            ["Note"] = $"Check-in recorded during the mixed load, {seed}.{Count}.",
        };
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"Version\" value=\"([^\"]+)\" id=\"template-version\"")]
    private static partial Regex TemplateVersion();

    [GeneratedRegex("name=\"Items\\[0\\]\\.RowNumber\" value=\"(?<row>[^\"]+)\"\\s*/>\\s*<input type=\"hidden\" name=\"Items\\[0\\]\\.Function\" value=\"(?<function>[^\"]+)\"")]
    private static partial Regex TemplateItem();

    /// <summary>Medians of the rounds per mix and configuration, and each configuration against the first (in the same run).</summary>
    public static string MixedMarkdown(IReadOnlyList<MixedRun> runs)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            if (sorted.Count == 0) return 0;
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
        var text = new StringBuilder();
        var run = runs[0];
        var windows = runs.SelectMany(r => r.Windows).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {run.Machine}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{run.Database}: {run.Connections} connections, {run.DurationSeconds:0} s per window, {run.Readers} readers, {run.RatingSlots} rating rows and {run.TemplateSlots} templates saved; median of {windows.GroupBy(w => (w.Mix, w.Configuration)).Select(g => g.Count()).DefaultIfEmpty(0).Min()} windows each.");
        text.AppendLine();
        text.AppendLine("| mix | configuration | req/s | read p50 ms | read p95 ms | save p95 ms | saves/s | errors | web CPU µs/req | database server CPU µs/req | RSS MB | peak MB |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var mixes = windows.Select(w => w.Mix).Distinct().ToList();
        var rows = new Dictionary<(string Mix, string Configuration), (double Rps, double ReadP95, double SaveP95)>();
        foreach (var mix in mixes)
            foreach (var configuration in run.Configurations)
            {
                var mine = windows.Where(w => w.Mix == mix && w.Configuration == configuration).ToList();
                if (mine.Count == 0) continue;
                var rps = Median(mine.Select(w => w.OperationsPerSecond));
                var readP95 = Median(mine.Select(w => w.ReadP95Ms));
                var saveP95 = Median(mine.Select(w => w.SaveP95Ms));
                var savesPerSecond = Median(mine.Select(w => w.OperationsPerSecond * w.Saves / Math.Max(1, w.Reads + w.Saves)));
                rows[(mix, configuration)] = (rps, readP95, saveP95);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {mix} | {configuration} | {rps:0} | {Median(mine.Select(w => w.ReadP50Ms)):0.0} | {readP95:0.0} | {(saveP95 > 0 ? saveP95.ToString("0.0", CultureInfo.InvariantCulture) : "—")} | {savesPerSecond:0} | {mine.Sum(w => w.Errors)} | {Median(mine.Select(w => w.WebCpuUsPerOperation)):0} | {Median(mine.Select(w => w.DatabaseCpuUsPerOperation)):0} | {Median(mine.Select(w => w.RssMb)):0} | {mine.Max(w => w.PeakMb):0} |");
            }
        if (run.Configurations.Count > 1)
        {
            var reference = run.Configurations[0];
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"| mix | {reference} against | throughput ratio | read p95 ratio (theirs ÷ ours) |");
            text.AppendLine("|---|---|---:|---:|");
            foreach (var mix in mixes)
                foreach (var other in run.Configurations.Skip(1))
                {
                    if (!rows.TryGetValue((mix, reference), out var ours) || !rows.TryGetValue((mix, other), out var theirs) || theirs.Rps <= 0 || ours.ReadP95 <= 0) continue;
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {mix} | {other} | {ours.Rps / theirs.Rps:0.00}× | {theirs.ReadP95 / ours.ReadP95:0.00}× |");
                }
        }
        return text.ToString();
    }
}
