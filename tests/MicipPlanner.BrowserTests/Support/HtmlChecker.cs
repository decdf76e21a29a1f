using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>
/// Collects the HTML of the pages a test visits and checks them all with the Nu HTML checker (vnu.jar) in one Java
/// process at the end: starting a JVM per page would cost seconds each. Java and vnu.jar come from ./scripts/setup.sh.
/// </summary>
public sealed class HtmlChecker
{
    /// <summary>Where setup.sh installs the checker (tools/vnu, pinned by its package-lock.json).</summary>
    public static string VnuJar => Path.Combine(Paths.RepositoryRoot, "tools", "vnu", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

    private readonly List<(string Url, string Html)> documents = [];
    private readonly string java;

    /// <summary>Fails at once, before any page is visited, when Java or vnu.jar is missing.</summary>
    public HtmlChecker()
    {
        java = FindJava();
        if (!File.Exists(VnuJar))
            throw new InvalidOperationException($"The Nu HTML checker is not installed ({VnuJar} is missing). Run ./scripts/setup.sh.");
    }

    public int Count => documents.Count;

    /// <summary>Goes to a path, expects the given status, and keeps the HTML exactly as the server sent it.</summary>
    public async Task VisitAsync(IPage page, string path, int expectedStatus = 200)
    {
        var response = await page.GotoAsync(path)
            ?? throw new InvalidOperationException($"GET {path} gave no response.");
        if (response.Status != expectedStatus)
            throw new InvalidOperationException($"GET {path} answered {response.Status}, expected {expectedStatus} ({page.Url}).");
        documents.Add((page.Url, await response.TextAsync()));
    }

    /// <summary>Adds a document by name, e.g. a known-invalid one that shows the checker really runs.</summary>
    public void Add(string name, string html) => documents.Add((name, html));

    /// <summary>Keeps the page as it is now (after an action on it), serialised from the browser's document.</summary>
    public async Task AddCurrentAsync(IPage page, string state) =>
        documents.Add(($"{page.Url} ({state})", await page.ContentAsync()));

    /// <summary>Checks every collected page in one run of vnu; returns one line per error ("url line N: message"), none when all are valid.</summary>
    public async Task<IReadOnlyList<string>> FindErrorsAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "micip-html-check", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var urlsByFile = new Dictionary<string, string>(StringComparer.Ordinal);
            var start = new ProcessStartInfo(java) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-Xss1024k", "-jar", VnuJar, "--errors-only", "--format", "json", "--stdout" }) start.ArgumentList.Add(arg);
            for (var i = 0; i < documents.Count; i++)
            {
                var file = Path.Combine(folder, $"page-{i + 1:000}.html");
                await File.WriteAllTextAsync(file, documents[i].Html, Encoding.UTF8);
                urlsByFile[Path.GetFileName(file)] = documents[i].Url;
                start.ArgumentList.Add(file);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {java}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
            {
                try { await process.WaitForExitAsync(timeout.Token); }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException($"vnu did not finish checking {documents.Count} pages in 5 minutes.");
                }
            }
            var json = await stdout;
            // vnu exits with 1 when it found errors; anything else unexpected shows as output that is not its JSON report.
            if (!json.TrimStart().StartsWith('{'))
                throw new InvalidOperationException($"vnu exited with {process.ExitCode} and no report:\n{json}\n{await stderr}");

            var errors = new List<string>();
            using var report = JsonDocument.Parse(json);
            foreach (var message in report.RootElement.GetProperty("messages").EnumerateArray())
            {
                var type = message.GetProperty("type").GetString();
                var text = message.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                // Every error counts: no message is filtered out.
                if (type == "info") continue;
                var fileUrl = message.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                var pageUrl = urlsByFile.GetValueOrDefault(Path.GetFileName(fileUrl), fileUrl);
                var line = message.TryGetProperty("lastLine", out var l) ? $" line {l.GetInt32()}" : "";
                var extract = message.TryGetProperty("extract", out var e) ? $"\n    {e.GetString()?.ReplaceLineEndings(" ").Trim()}" : "";
                errors.Add($"{pageUrl}{line}: {text}{extract}");
            }
            return errors;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static string FindJava()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } home) candidates.Add(Path.Combine(home, "bin", "java"));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "java")));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No Java runtime found (neither JAVA_HOME nor PATH has java); the HTML check needs one. Run ./scripts/setup.sh.");
    }
}
