using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace MicipPlanner.Web.Features.Calendar;

/// <summary>An activity as the feed shows it: nothing of its check-ins (notes, evidence) is read.</summary>
public sealed record CalendarActivity(int Id, int DistrictId, int CycleId, string Title, string DistrictName, DateOnly DueDate, DateOnly? DoneDate);

/// <summary>Writes the feed as iCalendar (RFC 5545).</summary>
public static class CalendarFeedWriter
{
    public const string ProductId = "-//MICIP Planner//Activity due dates//EN";

    /// <summary>The event's UID: the activity's number, the same in every fetch, so calendar apps update rather than duplicate.</summary>
    public static string Uid(int activityId) => string.Create(CultureInfo.InvariantCulture, $"plan-activity-{activityId}@micip-planner");

    public static string Write(IEnumerable<CalendarActivity> activities, DateTimeOffset now, Func<CalendarActivity, string> planUrl)
    {
        var calendar = new Ical.Net.Calendar { ProductId = ProductId };
        calendar.AddProperty("X-WR-CALNAME", "MICIP Planner: my activities");
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
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
