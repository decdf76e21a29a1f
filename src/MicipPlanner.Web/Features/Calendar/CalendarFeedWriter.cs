using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace MicipPlanner.Web.Features.Calendar;

/// <summary>An activity as the feed shows it: nothing of its check-ins (notes, evidence) is read.</summary>
public sealed record CalendarActivity(int Id, int DistrictId, int CycleId, string Title, string DistrictName, DateOnly DueDate, DateOnly? DoneDate);

/// <summary>
/// A building monitoring report the person's building team must submit: the period's due date. <paramref name="Sent"/> once
/// the building has submitted it (or the district accepted it).
/// </summary>
public sealed record CalendarReport(int PeriodId, int BuildingId, int DistrictId, int CycleId, string PeriodName, string BuildingName, string DistrictName,
    DateOnly DueDate, bool Sent);

/// <summary>Writes the feed as iCalendar (RFC 5545).</summary>
public static class CalendarFeedWriter
{
    public const string ProductId = "-//MICIP Planner//Activity due dates//EN";

    /// <summary>The event's UID: the activity's number, the same in every fetch, so calendar apps update rather than duplicate.</summary>
    public static string Uid(int activityId) => string.Create(CultureInfo.InvariantCulture, $"plan-activity-{activityId}@micip-planner");

    /// <summary>The event's UID of one building's report of one period, stable across fetches like an activity's.</summary>
    public static string ReportUid(int periodId, int buildingId) =>
        string.Create(CultureInfo.InvariantCulture, $"building-report-{periodId}-{buildingId}@micip-planner");

    public static string Write(IEnumerable<CalendarActivity> activities, DateTimeOffset now, Func<CalendarActivity, string> planUrl) =>
        Write(activities, [], now, planUrl, _ => "");

    public static string Write(IEnumerable<CalendarActivity> activities, IEnumerable<CalendarReport> reports, DateTimeOffset now,
        Func<CalendarActivity, string> planUrl, Func<CalendarReport, string> reportUrl)
    {
        var calendar = new Ical.Net.Calendar { ProductId = ProductId };
        calendar.AddProperty("X-WR-CALNAME", "MICIP Planner: my activities and reports");
        var stamp = new CalDateTime(now.UtcDateTime, "UTC");
        foreach (var activity in activities)
        {
            var done = activity.DoneDate is not null;
            // Done activities stay on the calendar (the date still happened) but say so; VEVENT has no "completed" status.
            var summary = $"{(done ? "Done: " : "")}{activity.Title} ({activity.DistrictName})";
            var url = planUrl(activity);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = Uid(activity.Id),
                DtStamp = stamp,
                DtStart = new CalDateTime(activity.DueDate),
                DtEnd = new CalDateTime(activity.DueDate.AddDays(1)),
                Summary = summary,
                Description = done
                    ? string.Create(CultureInfo.InvariantCulture, $"Activity of the plan, done on {activity.DoneDate:yyyy-MM-dd}. {url}")
                    : $"Activity of the plan, due this day. {url}",
                Url = new Uri(url),
                Status = EventStatus.Confirmed,
                // All-day due dates are reminders, not meetings: they do not mark the person busy.
                Transparency = TransparencyType.Transparent,
            });
        }
        foreach (var report in reports)
        {
            var url = reportUrl(report);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = ReportUid(report.PeriodId, report.BuildingId),
                DtStamp = stamp,
                DtStart = new CalDateTime(report.DueDate),
                DtEnd = new CalDateTime(report.DueDate.AddDays(1)),
                Summary = $"{(report.Sent ? "Submitted: " : "")}{report.BuildingName} {report.PeriodName} monitoring report ({report.DistrictName})",
                Description = report.Sent
                    ? $"Building monitoring report, submitted to the district CI team. {url}"
                    : $"Building monitoring report due to the district CI team this day. {url}",
                Url = new Uri(url),
                Status = EventStatus.Confirmed,
                Transparency = TransparencyType.Transparent,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
