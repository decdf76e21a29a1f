using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MicipPlanner.Bench;

/// <summary>The results table (medians over one or more runs) and the budgets of the performance issue.</summary>
public static class Report
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const double GetP95Ms = 50;
    public const double GetShareOfBaseline = 0.40;
    public const double SaveP95Ms = 100;
    public const double SavesPerSecond = 300;
    public const double PeakMemoryMb = 400;
    public const double ColdStartSeconds = 3;
    public const double StatewideRatio = 1.3;

    private sealed record Row(string Database, string Scenario, double Rps, double P50, double P95, double P99, long Errors, double Memory,
        double WebCpuUs, double LoadCpuUs, double DatabaseCpuUs);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return 0;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static List<Row> MedianRows(IReadOnlyList<RunResult> results) =>
        results.SelectMany(r => r.Runs).SelectMany(d => d.Scenarios)
            .GroupBy(s => (s.Database, s.Scenario))
            .Select(g => new Row(g.Key.Database, g.Key.Scenario, Median(g.Select(s => s.RequestsPerSecond)), Median(g.Select(s => s.P50Ms)),
                Median(g.Select(s => s.P95Ms)), Median(g.Select(s => s.P99Ms)), g.Sum(s => s.Errors), Median(g.Select(s => s.PeakMemoryMb)),
                Median(g.Select(s => s.WebCpuUsPerRequest)), Median(g.Select(s => s.LoadCpuUsPerRequest)), Median(g.Select(s => s.DatabaseCpuUsPerRequest))))
            .ToList();

    private sealed record Check(string What, string Measured, string Budget, bool Met);

    private static List<Check> Checks(IReadOnlyList<RunResult> results)
    {
        var rows = MedianRows(results);
        var checks = new List<Check>();
        // The budgets are the embedded deployment's (one process on SQLite); a server database or a cluster is reported
        // beside it for comparison (its labels name the provider first), not held to them.
        foreach (var database in rows.Select(r => r.Database).Distinct().Where(d => !d.Contains(':', StringComparison.Ordinal)))
        {
            var mine = rows.Where(r => r.Database == database).ToList();
            var baseline = mine.FirstOrDefault(r => r.Scenario == LoadRunner.Baseline);
            foreach (var page in mine.Where(r => LoadRunner.Pages.Contains(r.Scenario)))
            {
                checks.Add(new Check($"{database}: {page.Scenario} p95", Ms(page.P95), $"≤ {GetP95Ms:0} ms", page.P95 <= GetP95Ms));
                if (baseline is not null)
                    checks.Add(new Check($"{database}: {page.Scenario} throughput", $"{page.Rps / baseline.Rps:P0} of baseline",
                        $"≥ {GetShareOfBaseline:P0}", page.Rps >= GetShareOfBaseline * baseline.Rps));
            }
            if (mine.FirstOrDefault(r => r.Scenario == LoadRunner.Save) is { } save)
            {
                checks.Add(new Check($"{database}: rating save p95", Ms(save.P95), $"≤ {SaveP95Ms:0} ms", save.P95 <= SaveP95Ms));
                checks.Add(new Check($"{database}: rating saves per second", $"{save.Rps:0}", $"≥ {SavesPerSecond:0}", save.Rps >= SavesPerSecond));
            }
            var errors = mine.Sum(r => r.Errors);
            checks.Add(new Check($"{database}: errors", errors.ToString(CultureInfo.InvariantCulture), "0", errors == 0));
            var memory = results.SelectMany(r => r.Runs).Where(d => d.Database == database).Select(d => d.PeakMemoryMb).DefaultIfEmpty(0).Max();
            checks.Add(new Check($"{database}: web process peak memory (VmHWM)", $"{memory:0} MB", $"≤ {PeakMemoryMb:0} MB", memory <= PeakMemoryMb));
            var cold = Median(results.SelectMany(r => r.Runs).Where(d => d.Database == database).Select(d => d.ColdStartSeconds));
            checks.Add(new Check($"{database}: cold start to first page", $"{cold:0.00} s", $"≤ {ColdStartSeconds:0} s", cold <= ColdStartSeconds));
        }
        var one = rows.Where(r => r.Database == "one district").ToList();
        var state = rows.Where(r => r.Database.StartsWith("statewide", StringComparison.Ordinal)).ToList();
        foreach (var page in new[] { "dashboard", "rubric" })
        {
            var small = one.FirstOrDefault(r => r.Scenario == page);
            var large = state.FirstOrDefault(r => r.Scenario == page);
            if (small is null || large is null || small.P50 <= 0) continue;
            var ratio = large.P50 / small.P50;
            checks.Add(new Check($"{page}: statewide p50 ÷ one-district p50", $"{ratio:0.00}×", $"≤ {StatewideRatio:0.0}×", ratio <= StatewideRatio));
        }
        return checks;
    }

    public static bool AllBudgetsMet(IReadOnlyList<RunResult> results) => Checks(results).All(c => c.Met);

    public static string Markdown(IReadOnlyList<RunResult> results)
    {
        var text = new StringBuilder();
        var runs = results.Count;
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {results[0].Machine}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{results[0].Connections} connections, {results[0].DurationSeconds:0} s per scenario after warm-up; {(runs == 1 ? "one run" : $"median of {runs} runs")}.");
        text.AppendLine();
        text.AppendLine("| database | scenario | req/s | p50 ms | p95 ms | p99 ms | errors | peak MB | web CPU µs/req | database server CPU µs/req | load CPU µs/req |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in MedianRows(results))
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Database} | {r.Scenario} | {r.Rps:0} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {r.Errors} | {r.Memory:0} | {r.WebCpuUs:0} | {(r.DatabaseCpuUs > 0 ? r.DatabaseCpuUs.ToString("0", CultureInfo.InvariantCulture) : "—")} | {r.LoadCpuUs:0} |");
        text.AppendLine();
        // Not a budget: how much of the baseline a full page can reach at best (the layout around one line, no database).
        foreach (var database in MedianRows(results).Select(r => r.Database).Distinct())
        {
            var mine = MedianRows(results).Where(r => r.Database == database).ToList();
            if (mine.FirstOrDefault(r => r.Scenario == LoadRunner.Baseline) is not { Rps: > 0 } baseline
                || mine.FirstOrDefault(r => r.Scenario == LoadRunner.LayoutFloor) is not { Rps: > 0 } layout) continue;
            var pages = mine.Where(r => LoadRunner.Pages.Contains(r.Scenario)).ToList();
            var share = pages.Count == 0 ? "." : string.Create(CultureInfo.InvariantCulture,
                $"; the key pages {pages.Min(p => p.Rps) / layout.Rps:P0}–{pages.Max(p => p.Rps) / layout.Rps:P0} of the layout floor.");
            text.AppendLine(CultureInfo.InvariantCulture, $"{database}: the layout floor reaches {layout.Rps / baseline.Rps:P0} of the baseline{share}");
        }
        text.AppendLine();
        text.AppendLine("| budget | measured | target | |");
        text.AppendLine("|---|---|---|---|");
        foreach (var c in Checks(results))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.What} | {c.Measured} | {c.Budget} | {(c.Met ? "pass" : "**FAIL**")} |");
        return text.ToString();
    }

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
