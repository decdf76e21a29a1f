namespace MicipPlanner.Infrastructure.Pdf;

/// <summary>Finds a Chromium-based browser to print with.</summary>
public static class BrowserLocator
{
    /// <summary>The usual install places, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> KnownLocations =
    [
        "/usr/lib/chromium/chromium",
        "/usr/lib/chromium-browser/chromium-browser",
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/snap/bin/chromium",
        "/usr/bin/google-chrome-stable",
        "/usr/bin/google-chrome",
        "/opt/google/chrome/chrome",
        "/usr/bin/microsoft-edge-stable",
        "/usr/bin/microsoft-edge",
        "/opt/microsoft/msedge/msedge",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        @"C:\Program Files\Google\Chrome\Application\chrome.exe",
        @"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
        @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        @"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
    ];

    /// <summary>
    /// The configured path when set (and only that one: a wrong setting is reported, not silently
    /// replaced), else the first known location that exists; null when there is none.
    /// </summary>
    public static string? Find(string? configuredPath, Func<string, bool>? exists = null)
    {
        exists ??= File.Exists;
        if (!string.IsNullOrWhiteSpace(configuredPath)) return exists(configuredPath) ? configuredPath : null;
        return KnownLocations.FirstOrDefault(exists);
    }
}
