// PDF benchmark: hosts the app in this process on its own SQLite database, creates a district with
// 40 buildings (all templates submitted, rubric rated), then measures the warm renderer, the
// workshop packet, the demo district's board report (PDF and Word), 20 concurrent packet requests
// (with memory) and a cold `chromium --print-to-pdf` of the same HTML. Every phase is bounded; the
// run ends by itself. With `--db FILE` (a database made by `MicipPlanner.Bench generate`) it times instead the board
// report and the workshop packet of that database's largest plan.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Pdf;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

internal static class PdfBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var dbIndex = Array.IndexOf(args, "--db");
        if (dbIndex >= 0 && dbIndex + 1 < args.Length) return await GeneratedAsync(args[dbIndex + 1]);
        var runs = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 25;
        var repo = FindRepo();
        var data = Path.Combine(Path.GetTempPath(), "micip-pdfbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await using var factory = new BenchFactory(Path.Combine(repo, "src", "MicipPlanner.Web"), data);
        try
        {
            var (districtId, cycleId) = await SeedAsync(factory, buildings: 40);
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            client.Timeout = TimeSpan.FromMinutes(3);
            await SignInAsync(client, "admin@example.org", "Demo-Pass-2026!");
            var renderer = factory.Services.GetRequiredService<IPdfRenderer>();
            if (!renderer.IsAvailable) throw new InvalidOperationException("No browser found; set Pdf__BrowserPath.");
            Console.WriteLine($"Browser: {renderer.BrowserPath}; cores: {Environment.ProcessorCount}; concurrency: {factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PdfOptions>>().Value.EffectiveConcurrency}");

            var cold = await TimeAsync(() => GetPdfAsync(client, "/handouts/handout-2.pdf"));
            Console.WriteLine($"Cold first PDF (browser start + handout 2): {cold:0} ms");

            var single = new List<double>();
            for (var i = 0; i < runs; i++) single.Add(await TimeAsync(() => GetPdfAsync(client, "/handouts/handout-2.pdf")));
            Report("Warm single handout (handout-2, HTTP GET incl. Razor)", single);

            var packetUrl = $"/districts/{districtId}/cycles/{cycleId}/handouts/packet.pdf";
            var packetBytes = await GetPdfAsync(client, packetUrl);
            var packet = new List<double>();
            for (var i = 0; i < Math.Max(5, runs / 3); i++) packet.Add(await TimeAsync(() => GetPdfAsync(client, packetUrl)));
            Report($"Workshop packet, 40 buildings ({packetBytes.Length / 1024} KB)", packet);

            // The board report of the demo's Lakeshore (its plan, run charts and PDSA cycles): the PDF, and the Word document
            // whose charts the same browser draws as pictures.
            var (lakeshore, lakeshoreCycle) = await LakeshorePlanAsync(factory);
            var boardRoot = $"/districts/{lakeshore}/cycles/{lakeshoreCycle}/board-report";
            var boardPdfBytes = await GetPdfAsync(client, boardRoot + ".pdf");
            var boardPdf = new List<double>();
            for (var i = 0; i < 8; i++) boardPdf.Add(await TimeAsync(() => GetPdfAsync(client, boardRoot + ".pdf")));
            Report($"Board report PDF, Lakeshore ({boardPdfBytes.Length / 1024} KB)", boardPdf);
            var boardDocxBytes = await GetPdfAsync(client, boardRoot + ".docx");
            var boardDocx = new List<double>();
            for (var i = 0; i < 8; i++) boardDocx.Add(await TimeAsync(() => GetPdfAsync(client, boardRoot + ".docx")));
            Report($"Board report Word document, Lakeshore ({boardDocxBytes.Length / 1024} KB)", boardDocx);

            // 20 concurrent packet requests, sampling memory while they run.
            var samples = new List<(long Web, long Renderer)>();
            (long Web, long Renderer) before = (Process.GetCurrentProcess().WorkingSet64, DescendantsRss(Environment.ProcessId));
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    samples.Add((Process.GetCurrentProcess().WorkingSet64, DescendantsRss(Environment.ProcessId)));
                    try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            var wall = Stopwatch.StartNew();
            var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                var sw = Stopwatch.StartNew();
                var response = await client.GetAsync(packetUrl);
                var ok = response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsByteArrayAsync()).Length > 10_000;
                return (ok, sw.Elapsed.TotalMilliseconds);
            }));
            wall.Stop();
            stop.Cancel();
            await sampler;
            Console.WriteLine($"20 concurrent packets: {concurrent.Count(c => c.ok)}/20 OK in {wall.Elapsed.TotalSeconds:0.0} s; per request median {Median(concurrent.Select(c => c.Item2).ToList()):0} ms, max {concurrent.Max(c => c.Item2):0} ms");
            Console.WriteLine($"  peak memory: web process (in-process host) {samples.Max(s => s.Web) / 1048576} MB working set; renderer (driver + Chromium processes) {samples.Max(s => s.Renderer) / 1048576} MB PSS; before the burst: web {before.Web / 1048576} MB, renderer {before.Renderer / 1048576} MB");

            // The same HTML: warm renderer vs a cold Chromium process per document.
            var handout = await CaptureAsync(client, factory, "/handouts/handout-2.pdf");
            var warm = new List<double>();
            for (var i = 0; i < 10; i++) warm.Add(await TimeAsync(() => renderer.RenderAsync(handout, new PdfPrintOptions(true))));
            var file = Path.Combine(data, "handout-2.html");
            await File.WriteAllTextAsync(file, handout);
            var cli = new List<double>();
            for (var i = 0; i < 5; i++) cli.Add(await TimeAsync(() => ColdChromiumAsync(renderer.BrowserPath!, file, Path.Combine(data, "cold.pdf"))));
            Report("Warm renderer, handout-2 HTML (RenderAsync only)", warm);
            Report("Cold `chromium --headless --print-to-pdf`, same HTML", cli);
            Console.WriteLine($"Ratio cold / warm: {Median(cli) / Median(warm):0.0}×");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        try { Directory.Delete(data, true); } catch (IOException) { }
        return 0;
    }

    static async Task<string> CaptureAsync(HttpClient client, BenchFactory factory, string url)
    {
        await GetPdfAsync(client, url);
        return factory.Capture.LastHtml!;
    }

    static async Task<byte[]> GetPdfAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    static async Task<double> TimeAsync(Func<Task> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalMilliseconds;
    }

    static async Task ColdChromiumAsync(string browser, string htmlFile, string pdfFile)
    {
        var start = new ProcessStartInfo(browser)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--no-pdf-header-footer",
                    "--generate-pdf-document-outline", "--host-resolver-rules=MAP * ~NOTFOUND", $"--print-to-pdf={pdfFile}", new Uri(htmlFile).AbsoluteUri },
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (!File.Exists(pdfFile)) throw new InvalidOperationException("chromium --print-to-pdf made no file");
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    static void Report(string what, List<double> ms)
    {
        var sorted = ms.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: median {Median(ms):0} ms, p90 {sorted[(int)Math.Ceiling(sorted.Count * 0.9) - 1]:0} ms, min {sorted[0]:0} ms (n={ms.Count})"));
    }

    /// <summary>Memory (PSS) of every process below <paramref name="pid"/> (the Playwright driver and Chromium).</summary>
    static long DescendantsRss(int pid)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[id] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        long total = 0;
        foreach (var id in parents.Keys)
        {
            var p = id;
            var depth = 0;
            while (parents.TryGetValue(p, out var parent) && parent != pid && parent > 1 && depth++ < 20) p = parent;
            if (!parents.TryGetValue(p, out var top) || top != pid) continue;
            try
            {
                // Proportional set size: shared pages are split between the Chromium processes instead of counted in each.
                var status = File.ReadAllLines($"/proc/{id}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
                if (status is not null) total += long.Parse(Regex.Match(status, "\\d+").Value, CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException) { }
        }
        return total;
    }

    static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/sign-in");
        var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("Sign-in failed.");
    }

    static async Task<(int District, int Cycle)> LakeshorePlanAsync(BenchFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var district = await db.Districts.Where(d => d.Name == "Lakeshore Public Schools").Select(d => d.Id).SingleAsync();
        // The cycle with the demo's plan (goals), the newest if several.
        var cycle = await db.PlanGoals.Where(g => g.DistrictId == district).OrderByDescending(g => g.CycleId).Select(g => g.CycleId).FirstAsync();
        return (district, cycle);
    }

    static async Task<(int District, int Cycle)> SeedAsync(BenchFactory factory, int buildings)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var toolkit = scope.ServiceProvider.GetRequiredService<ToolkitCatalog>().Default;
        var now = DateTimeOffset.UtcNow;
        var district = new District { Name = "Benchmark Consolidated Schools", Code = "79990", Isd = "Benchmark ISD", CreatedAt = now };
        for (var i = 1; i <= buildings; i++)
            district.Buildings.Add(new Building { Name = $"Building {i:00} Elementary", Code = (10000 + i).ToString(CultureInfo.InvariantCulture), Grades = "K-5" });
        db.Districts.Add(district);
        await db.SaveChangesAsync();
        var cycle = await scope.ServiceProvider.GetRequiredService<CycleStarter>().StartAsync(district.Id, 2026);
        var user = await db.Users.Where(u => u.Email == "admin@example.org").Select(u => u.Id).SingleAsync();
        var group = await db.RatingGroups.SingleAsync(g => g.CycleId == cycle.Id);
        foreach (var (row, index) in toolkit.Rubric.Rows.Select((r, i) => (r, i)))
        {
            db.RubricRatings.Add(new RubricRating
            {
                DistrictId = district.Id, CycleId = cycle.Id, RatingGroupId = group.Id, RowKey = row.Key, Level = index % 4 + 1,
                Evidence = "Minutes, surveys and the improvement plan show where the district stands on this row.", UpdatedByUserId = user, UpdatedAt = now
            });
            db.ConsensusRatings.Add(new ConsensusRating
            {
                DistrictId = district.Id, CycleId = cycle.Id, RowKey = row.Key, Level = index % 4 + 1,
                Rationale = "Agreed after comparing the small groups' evidence.", RecordedByUserId = user, RecordedAt = now
            });
        }
        var statuses = new[] { FunctionStatus.InPlace, FunctionStatus.NeedsStrengthening, FunctionStatus.NeedsToBeCreated };
        foreach (var building in district.Buildings)
        {
            var template = new BalanceTemplate
            {
                DistrictId = district.Id, CycleId = cycle.Id, BuildingId = building.Id, State = TemplateState.Submitted,
                CreatedAt = now, UpdatedAt = now, SubmittedAt = now, BuildingsAnswer = "Run the building team and report to the district.", DistrictsAnswer = "Fund and support the plan.", CommonAnswer = "Needs, goals and monitoring."
            };
            foreach (var slot in TemplateWorkflow.BuildingSlots(toolkit.Balance))
                template.Items.Add(new BalanceTemplateItem
                {
                    DistrictId = district.Id, RowNumber = slot.RowNumber, Function = slot.Function,
                    Status = statuses[(building.Id + slot.RowNumber) % 3], Evidence = "Building team minutes and data wall.",
                    NextAction = "Schedule a monthly review with the district team.", Owner = "Principal", TargetDate = new DateOnly(2027, 3, 1)
                });
            db.BalanceTemplates.Add(template);
        }
        await db.SaveChangesAsync();
        return (district.Id, cycle.Id);
    }

    static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MicipPlanner.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }

    /// <summary>
    /// The board report (PDF and Word document) and the workshop packet of the largest plan in a database made by
    /// <c>MicipPlanner.Bench generate</c>, read from a copy of it (the run signs in and writes sessions). The largest plan
    /// is the current cycle's with the most measures, then activities, then buildings. 8 runs each after one warm-up.
    /// </summary>
    static async Task<int> GeneratedAsync(string generated)
    {
        var repo = FindRepo();
        var data = Path.Combine(Path.GetTempPath(), "micip-pdfbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var copy = Path.Combine(data, "generated.db");
        File.Copy(generated, copy);
        await using var factory = new BenchFactory(Path.Combine(repo, "src", "MicipPlanner.Web"), data, copy);
        try
        {
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            client.Timeout = TimeSpan.FromMinutes(3);
            await SignInAsync(client, "admin@bench.example.org", "Bench-Pass-2026!");
            var renderer = factory.Services.GetRequiredService<IPdfRenderer>();
            if (!renderer.IsAvailable) throw new InvalidOperationException("No browser found; set Pdf__BrowserPath.");
            var plan = await LargestPlanAsync(factory);
            Console.WriteLine($"Browser: {renderer.BrowserPath}; cores: {Environment.ProcessorCount}");
            Console.WriteLine($"Largest plan: {plan.Name} (district {plan.District}, cycle {plan.Cycle}): {plan.Goals} goals, {plan.Activities} activities, {plan.Measures} measures, {plan.Buildings} buildings");
            var root = $"/districts/{plan.District}/cycles/{plan.Cycle}";
            foreach (var (label, url) in new[]
            {
                ("Board report PDF", $"{root}/board-report.pdf"), ("Board report Word document", $"{root}/board-report.docx"),
                ("Workshop packet", $"{root}/handouts/packet.pdf"),
            })
            {
                var bytes = await GetPdfAsync(client, url);
                var times = new List<double>();
                for (var i = 0; i < 8; i++) times.Add(await TimeAsync(() => GetPdfAsync(client, url)));
                Report($"{label}, largest generated plan ({bytes.Length / 1024} KB)", times);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        try { Directory.Delete(data, true); } catch (IOException) { }
        return 0;
    }

    sealed record LargestPlan(int District, int Cycle, string Name, int Goals, int Activities, int Measures, int Buildings);

    static async Task<LargestPlan> LargestPlanAsync(BenchFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var plans = await db.Districts.Select(d => new
        {
            d.Id, d.Name, Buildings = d.Buildings.Count,
            Cycle = db.Cycles.Where(c => c.DistrictId == d.Id).OrderByDescending(c => c.StartYear).Select(c => c.Id).FirstOrDefault(),
        }).ToListAsync();
        var measures = await db.PlanMeasures.GroupBy(m => m.CycleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var activities = await db.PlanActivities.GroupBy(a => a.CycleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var goals = await db.PlanGoals.GroupBy(g => g.CycleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        return plans.Select(p => new LargestPlan(p.Id, p.Cycle, p.Name, goals.GetValueOrDefault(p.Cycle), activities.GetValueOrDefault(p.Cycle),
                measures.GetValueOrDefault(p.Cycle), p.Buildings))
            .OrderByDescending(p => p.Measures).ThenByDescending(p => p.Activities).ThenByDescending(p => p.Buildings).ThenBy(p => p.District).First();
    }
}

/// <summary>Records the HTML the app hands to the renderer, so the cold CLI run prints exactly the same document.</summary>
sealed class CapturingRenderer(ChromiumPdfRenderer inner) : IPdfRenderer
{
    public string? LastHtml { get; private set; }
    public bool IsAvailable => inner.IsAvailable;
    public string? BrowserPath => inner.BrowserPath;
    public bool IsRunning => inner.IsRunning;

    public Task<byte[]> RenderAsync(string html, PdfPrintOptions options, CancellationToken cancellationToken = default)
    {
        LastHtml = html;
        return inner.RenderAsync(html, options, cancellationToken);
    }

    public Task<byte[]> RenderAsync(Func<CancellationToken, Task<string>> html, PdfPrintOptions options, CancellationToken cancellationToken = default) =>
        inner.RenderAsync(async ct => LastHtml = await html(ct), options, cancellationToken);

    public Task<IReadOnlyList<byte[]>> CaptureAsync(Func<CancellationToken, Task<string>> html, string selector, CancellationToken cancellationToken = default) =>
        inner.CaptureAsync(html, selector, cancellationToken);
}

sealed class BenchFactory(string contentRoot, string dataFolder, string? database = null) : WebApplicationFactory<Program>
{
    public CapturingRenderer Capture => (CapturingRenderer)Services.GetRequiredService<IPdfRenderer>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(contentRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataFolder", dataFolder);
        // A generated database brings its own districts and accounts; otherwise the demo data is seeded.
        if (database is not null) builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={database};Default Timeout=30");
        builder.UseSetting("Demo:Seed", database is null ? "true" : "false");
        // The in-process client talks plain HTTP and signs in repeatedly.
        builder.UseSetting("Security:RequireHttps", "false");
        builder.UseSetting("Security:RateLimitPermits", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "None");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<CapturingRenderer>();
            services.AddSingleton<IPdfRenderer>(sp => sp.GetRequiredService<CapturingRenderer>());
        });
    }
}
