namespace MicipPlanner.BrowserTests.Support;

public static class Paths
{
    /// <summary>The repository root (the folder holding MicipPlanner.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Screenshots and HTML of failed tests: MICIP_BROWSER_RESULTS, else this project's TestResults/browser folder.</summary>
    public static string FailureFolder =>
        Environment.GetEnvironmentVariable("MICIP_BROWSER_RESULTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot, "tests", "MicipPlanner.BrowserTests", "TestResults", "browser");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MicipPlanner.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MicipPlanner.sln not found above " + AppContext.BaseDirectory);
    }
}
