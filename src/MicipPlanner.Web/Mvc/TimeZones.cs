using MicipPlanner.Domain.Organisation;

namespace MicipPlanner.Web.Mvc;

/// <summary>Shows instants in a district's time zone (America/Detroit unless the district says otherwise).</summary>
public static class TimeZones
{
    /// <summary>The district's zone; the rule (default, unknown ids) is the domain's <see cref="DistrictCalendar.Zone"/>.</summary>
    public static TimeZoneInfo Find(string? id) => DistrictCalendar.Zone(id);

    public static DateTimeOffset ToLocal(this DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>The calendar date in the zone at that instant ("today" for a district).</summary>
    public static DateOnly DateIn(DateTimeOffset instant, TimeZoneInfo zone) => DistrictCalendar.DateAt(instant, zone);

    /// <summary>"Nov 24, 2026 10:42 AM EST"-style text in the district's zone.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var abbreviation = zone.Id == "America/Detroit" ? (zone.IsDaylightSavingTime(local) ? "EDT" : "EST") : zone.StandardName;
        return $"{local:MMM d, yyyy h:mm tt} {abbreviation}";
    }
}
