using System.Globalization;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Processes started (directly or not) by a given process, read from /proc.</summary>
public static class ChildProcesses
{
    public static IReadOnlyList<int> Below(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[id] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        bool IsBelow(int id)
        {
            for (var depth = 0; depth < 32 && parents.TryGetValue(id, out var parent); depth++, id = parent)
                if (parent == root) return true;
            return false;
        }
        return parents.Keys.Where(IsBelow).ToList();
    }

    public static string Name(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }
}
