using System.Globalization;
using System.Text.Json;
using MicipPlanner.Bench;

// Usage:
//   generate --out FILE [--districts 900] [--buildings 3600] [--users 25000] [--seed 2026] [--provider Sqlite|SqlServer|PostgreSQL --connection CS]
//   load --web PATH/MicipPlanner.Web.dll --db FILE [--db FILE2] [--connection CS [--connection CS2]] [--instances N] [--connections 32] [--global-warmup 8] [--max-warmup 60] [--warmup 2] [--duration 10] [--port 5190] [--results FILE] [--only SCENARIO]... [--no-table]
//   (--db names a generated manifest: a SQLite file, or a server database whose connection string the manifest holds or
//    --connection gives; --instances N > 1 runs N instances behind nginx, on a server database only)
//   summarize FILE... (medians over several result files, as a Markdown table)
//   mixed --web PATH/MicipPlanner.Web.dll --db FILE [--connection CS] [--instances N] [--config NAME[:Setting__Key=value,...]]... [--reads-per-save 0|N]... [--rounds 3]
//         [--connections 32] [--warmup 2] [--duration 6] [--global-warmup 8] [--max-warmup 60] [--port 5190] [--results FILE]
//   summarize-mixed FILE... (medians of the mixed-load windows, as a Markdown table)
//   workshop --web PATH/MicipPlanner.Web.dll --db FILE [--connection CS] [--instances N] [--workshops 10,40,100] [--participants 25] [--warmup 5] [--duration 20] [--push]
//         [--global-warmup 8] [--max-warmup 60] [--join-concurrency 8] [--p95-budget 100] [--port 5190] [--results FILE]
//   summarize-workshop FILE... (medians of several workshop-load result files, as Markdown tables)
//   page-weight --url http://127.0.0.1:PORT [--email facilitator@example.org] [--password Demo-Pass-2026!] [--district NAME]
//         [--accept-encoding "br, gzip"] [--days-between-visits 7] [--results FILE] [--verbose] (bytes a phone downloads for the workshop pages; app run with --seed-demo)
if (args.Length == 0)
{
    Console.Error.WriteLine("Commands: generate, load, summarize, mixed, summarize-mixed, workshop, summarize-workshop, page-weight (see bench/README.md).");
    return 2;
}

var command = args[0];
var rest = args[1..];
string? Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(rest, name);
    return i >= 0 && i + 1 < rest.Length ? rest[i + 1] : fallback;
}
List<string> Options(string name) => rest.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < rest.Length).Select(x => rest[x.i + 1]).ToList();
int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture))!, CultureInfo.InvariantCulture);

switch (command)
{
    case "generate":
        {
            var output = Option("--out") ?? throw new ArgumentException("--out FILE is required");
            var districts = Int("--districts", 900);
            var generatorOptions = new GeneratorOptions(output, districts, Int("--buildings", 3600), Int("--users", 25000), Int("--seed", 2026),
                Option("--provider", "Sqlite")!, Option("--connection"));
            Console.WriteLine($"Generating {districts} district(s) into {output} (seed {generatorOptions.Seed})…");
            var manifest = await new Generator(generatorOptions).RunAsync();
            manifest.Save(output);
            foreach (var (what, n) in manifest.Counts) Console.WriteLine($"  {what,-38} {n,9:N0}");
            Console.WriteLine($"Generated in {manifest.GenerationSeconds:0.0} s");
            return 0;
        }
    case "load":
        {
            var loadOptions = new LoadOptions(
                Option("--web") ?? throw new ArgumentException("--web PATH is required"),
                Options("--db"),
                Int("--connections", 32),
                TimeSpan.FromSeconds(Int("--warmup", 2)),
                TimeSpan.FromSeconds(Int("--duration", 10)),
                Int("--port", 5190),
                Option("--results"),
                Options("--only"),
                TimeSpan.FromSeconds(Int("--global-warmup", 8)),
                TimeSpan.FromSeconds(Int("--max-warmup", 60)),
                Options("--connection"),
                Int("--instances", 1));
            if (loadOptions.DatabaseConnections is { Count: > 0 } given && given.Count != loadOptions.Databases.Count)
                throw new ArgumentException("Give one --connection per --db, in the same order.");
            var result = await new LoadRunner(loadOptions).RunAsync();
            if (loadOptions.ResultsFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, Report.Json));
            }
            if (!rest.Contains("--no-table"))
            {
                Console.WriteLine();
                Console.WriteLine(Report.Markdown([result]));
            }
            return Report.AllBudgetsMet([result]) ? 0 : 1;
        }
    case "mixed":
        {
            var configurations = Options("--config").Select(AppConfiguration.Parse).ToList();
            if (configurations.Count == 0) configurations.Add(new AppConfiguration("as built", new Dictionary<string, string>()));
            var mixes = Options("--reads-per-save").Select(m => int.Parse(m, CultureInfo.InvariantCulture)).ToList();
            if (mixes.Count == 0) mixes = [0, 10, 3];
            var mixedOptions = new MixedOptions(
                Option("--web") ?? throw new ArgumentException("--web PATH is required"),
                Option("--db") ?? throw new ArgumentException("--db FILE is required"),
                configurations, mixes,
                Int("--connections", 32),
                TimeSpan.FromSeconds(Int("--warmup", 2)),
                TimeSpan.FromSeconds(Int("--duration", 6)),
                Int("--rounds", 3),
                Int("--port", 5190),
                Option("--results"),
                TimeSpan.FromSeconds(Int("--global-warmup", 8)),
                TimeSpan.FromSeconds(Int("--max-warmup", 60)),
                Option("--connection"),
                Int("--instances", 1));
            var run = await LoadRunner.RunMixedAsync(mixedOptions);
            if (mixedOptions.ResultsFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(run, Report.Json));
            }
            Console.WriteLine();
            Console.WriteLine(LoadRunner.MixedMarkdown([run]));
            return run.Windows.Sum(w => w.Errors) == 0 ? 0 : 1;
        }
    case "workshop":
        {
            var workshopOptions = new WorkshopLoadOptions(
                Option("--web") ?? throw new ArgumentException("--web PATH is required"),
                Option("--db") ?? throw new ArgumentException("--db FILE is required"),
                Option("--workshops", "10,40,100")!.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList(),
                Int("--participants", 25),
                TimeSpan.FromSeconds(Int("--warmup", 5)),
                TimeSpan.FromSeconds(Int("--duration", 20)),
                Int("--port", 5190),
                Option("--results"),
                TimeSpan.FromSeconds(Int("--global-warmup", 8)),
                TimeSpan.FromSeconds(Int("--max-warmup", 60)),
                Int("--join-concurrency", 8),
                Int("--p95-budget", 100),
                Option("--connection"),
                Int("--instances", 1),
                rest.Contains("--push"));
            var run = await LoadRunner.RunWorkshopsAsync(workshopOptions);
            if (workshopOptions.ResultsFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(run, Report.Json));
            }
            Console.WriteLine();
            Console.WriteLine(LoadRunner.WorkshopMarkdown([run]));
            return run.Levels.Sum(l => l.Errors + l.Joins.Errors) == 0 ? 0 : 1;
        }
    case "page-weight":
        {
            var weightOptions = new PageWeightOptions(
                Option("--url") ?? throw new ArgumentException("--url http://127.0.0.1:PORT is required"),
                Option("--email", "facilitator@example.org")!,
                Option("--password", "Demo-Pass-2026!")!,
                Option("--district", "Lakeshore Public Schools")!,
                Option("--accept-encoding", "br, gzip")!,
                TimeSpan.FromDays(double.Parse(Option("--days-between-visits", "7")!, CultureInfo.InvariantCulture)),
                rest.Contains("--verbose"));
            var run = await PageWeight.RunAsync(weightOptions);
            if (Option("--results") is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(run, Report.Json));
            }
            Console.WriteLine();
            Console.WriteLine(PageWeight.Markdown(run));
            return 0;
        }
    case "summarize-workshop":
        {
            var runs = rest.Select(f => JsonSerializer.Deserialize<WorkshopRun>(File.ReadAllText(f), Report.Json)!).ToList();
            Console.WriteLine(LoadRunner.WorkshopMarkdown(runs));
            return 0;
        }
    case "summarize-mixed":
        {
            var runs = rest.Select(f => JsonSerializer.Deserialize<MixedRun>(File.ReadAllText(f), Report.Json)!).ToList();
            Console.WriteLine(LoadRunner.MixedMarkdown(runs));
            return 0;
        }
    case "summarize":
        {
            var results = rest.Select(f => JsonSerializer.Deserialize<RunResult>(File.ReadAllText(f), Report.Json)!).ToList();
            Console.WriteLine(Report.Markdown(results));
            return Report.AllBudgetsMet(results) ? 0 : 1;
        }
    default:
        Console.Error.WriteLine($"Unknown command {command}.");
        return 2;
}
