using MicipPlanner.Domain.Common;

namespace MicipPlanner.Domain.Organisation;

/// <summary>An improvement cycle: one school year of a district's work with one toolkit version.</summary>
public class Cycle : Entity, IDistrictOwned
{
    public int DistrictId { get; set; }
    public District? District { get; set; }

    /// <summary>First calendar year of the school year: 2026 for "2026-27".</summary>
    public int StartYear { get; set; }

    /// <summary>The toolkit the cycle's work was made with; old cycles keep showing their own texts.</summary>
    public string ToolkitKey { get; set; } = "";
    public int ToolkitVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the key leader or facilitator finalizes the rubric; ratings are then locked.</summary>
    public DateTimeOffset? RubricFinalizedAt { get; set; }
    public string? RubricFinalizedByUserId { get; set; }

    public string SchoolYear => SchoolYears.Format(StartYear);
    public bool IsRubricFinalized => RubricFinalizedAt is not null;
}

public static class SchoolYears
{
    public static string Format(int startYear) => $"{startYear}-{(startYear + 1) % 100:00}";

    /// <summary>Parses "2026-27" (or "2026-2027"); the second year must follow the first.</summary>
    public static bool TryParse(string? text, out int startYear)
    {
        startYear = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('-');
        if (parts.Length != 2 || parts[0].Length != 4 || !int.TryParse(parts[0], out var first)) return false;
        if (!int.TryParse(parts[1], out var second)) return false;
        var expected = parts[1].Length switch { 2 => (first + 1) % 100, 4 => first + 1, _ => -1 };
        if (second != expected || first < 2000 || first > 2100) return false;
        startYear = first;
        return true;
    }

    /// <summary>School years start on July 1st.</summary>
    public static int Current(DateOnly today) => today.Month >= 7 ? today.Year : today.Year - 1;
}
