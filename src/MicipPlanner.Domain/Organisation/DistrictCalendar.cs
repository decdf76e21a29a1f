namespace MicipPlanner.Domain.Organisation;

/// <summary>
/// A district's calendar: the date it is in the district's time zone. Due dates, check-ins and targets are calendar dates
/// of the district, so "today" must be the district's, not the server's (a UTC server passes midnight five hours early
/// for Michigan).
/// </summary>
public static class DistrictCalendar
{
    /// <summary>The district's zone: the default when none is set, UTC when the id is unknown to this machine.</summary>
    public static TimeZoneInfo Zone(string? timeZoneId)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZoneId) ? District.DefaultTimeZoneId : timeZoneId); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
        catch (InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
    }

    /// <summary>The calendar date in the zone at that instant.</summary>
    public static DateOnly DateAt(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The calendar date at <paramref name="instant"/> in the zone with IANA id <paramref name="timeZoneId"/>.</summary>
    public static DateOnly Today(DateTimeOffset instant, string? timeZoneId) => DateAt(instant, Zone(timeZoneId));

    /// <summary>The district's today by the clock.</summary>
    public static DateOnly Today(TimeProvider clock, string? timeZoneId) => Today(clock.GetUtcNow(), timeZoneId);
}
