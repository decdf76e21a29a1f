using System.Globalization;
using System.Text;
using MicipPlanner.Domain.Plan;

namespace MicipPlanner.Web.Features.Digest;

/// <summary>A person's digest for one district and day, as the in-app notice and the e-mail carry it.</summary>
public sealed record DigestMessage(string Subject, string Body, string NoticeText, string NoticeLink)
{
    /// <summary>The path of the page where a person turns the digest on or off.</summary>
    public const string SettingsPath = "/notifications";

    /// <summary>
    /// Composes the digest from the person's items of one district only: sections in <see cref="DigestItemKind"/> order,
    /// each line with its date and a link into the app (<paramref name="baseUrl"/> + the item's path).
    /// </summary>
    public static DigestMessage Compose(DigestDistrict district, IReadOnlyList<DigestItem> items, string baseUrl)
    {
        ArgumentOutOfRangeException.ThrowIfZero(items.Count);
        var sections = items.GroupBy(i => i.Kind).OrderBy(g => g.Key).ToList();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"Your MICIP Planner reminders for {district.Name} on {Format(district.Today)}.\n");
        foreach (var section in sections)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n{section.Key.Heading(district.StaleAfterDays)}\n");
            foreach (var item in section.OrderBy(i => i.Date is null).ThenBy(i => i.Date).ThenBy(i => i.Title, StringComparer.Ordinal))
            {
                var when = item.Date is { } date ? $" ({DateLabel(item.Kind)} {Format(date)})" : "";
                body.Append(CultureInfo.InvariantCulture, $"- {item.Title}{when}\n  {baseUrl}{item.Path}\n");
            }
        }
        body.Append(CultureInfo.InvariantCulture,
            $"\nYou get this digest because these are yours in MICIP Planner. To stop it, turn off the daily digest at {baseUrl}{SettingsPath}\n");

        var counts = string.Join(", ", sections.Select(s => $"{s.Count()} {s.Key.Heading(district.StaleAfterDays).ToLowerInvariant()}"));
        var notice = $"Reminders for today in {district.Name}: {counts}";
        return new DigestMessage($"MICIP Planner: your reminders for {district.Name}, {Format(district.Today)}", body.ToString(),
            notice, sections[0].OrderBy(i => i.Date is null).ThenBy(i => i.Date).First().Path);
    }

    private static string DateLabel(DigestItemKind kind) => kind switch
    {
        DigestItemKind.NoCheckIn => "last check-in or start",
        _ => "due",
    };

    private static string Format(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
