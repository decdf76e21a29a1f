using System.Net;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.Security;

/// <summary>
/// Every form every person is shown, submitted exactly as the page renders it (hidden fields, current values, the
/// pressed button), must be accepted, or refused only with a message next to a field the page left empty for the
/// person to fill. A page that refuses its own values (a stored code "already in use" by itself, a field it never
/// renders) is a broken screen, whatever hand-built posts say.
/// </summary>
public sealed class RenderedFormsTests(MicipWebFactory factory, ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    /// <summary>The people who are shown forms; the workshop participant first, since others may end the workshop.</summary>
    private static readonly Persona[] People =
    [
        Persona.WorkshopParticipant, Persona.BuildingMember, Persona.DistrictMember, Persona.SharingDistrictMember,
        Persona.NetworkCoordinator, Persona.KeyLeader, Persona.Facilitator, Persona.Admin,
    ];

    /// <summary>Forms whose acceptance ends what the crawl needs (the session itself); they have tests of their own.</summary>
    private static readonly string[] SessionEnding = ["/account/sign-out"];

    [Fact]
    public async Task Every_form_as_the_page_renders_it_is_accepted_or_refused_next_to_a_field_left_to_fill()
    {
        var failures = new List<string>();
        var submitted = await CrawlAsync(async (persona, client, url, form) =>
        {
            var response = await client.PostAsync(form.Action, form.Content());
            if (await RefusalAsync(form, response) is { } why)
                failures.Add($"{persona} on {url}: the form posting to {form.Action} as rendered {why}");
            return 1;
        });
        output.WriteLine($"{submitted} forms submitted as rendered.");
        Assert.True(submitted > 50, $"Only {submitted} forms were found; the crawl lost its way.");
        Assert.True(failures.Count == 0, $"{failures.Count} forms refused what their own page rendered:\n  " + string.Join("\n  ", failures.Distinct()));
    }

    [Fact]
    public async Task Every_one_line_field_refuses_a_line_break_next_to_the_field()
    {
        // A browser's one-line input cannot hold a line break; a script can post one. Stored, it would render as an invalid
        // value and silently vanish on the next save, so every one-line field of every form refuses it, next to the field.
        var failures = new List<string>();
        var tried = await CrawlAsync(async (persona, client, url, form) =>
        {
            var count = 0;
            foreach (var field in form.OneLineTextFields())
            {
                // A signed-in person joins a workshop under their account's name: the name field is not read for them
                // (the participant's own join is checked below).
                if (form.Action == "/join" && field == "Name" && persona != Persona.WorkshopParticipant) continue;
                var current = form.Values.FirstOrDefault(v => v.Key == field).Value;
                var poisoned = form.Copy().Set(field, (string.IsNullOrEmpty(current) ? "first line" : current) + "\r\nsecond line");
                var response = await client.PostAsync(form.Action, poisoned.Content());
                count++;
                var status = (int)response.StatusCode;
                // Not found, conflict, gone: refused before anything was stored (an unknown invitation code, say).
                if (status is 404 or 409 or 410) continue;
                if (status != 400)
                {
                    failures.Add($"{persona} on {url}: {form.Action} field {field} with a line break answered {status}");
                    continue;
                }
                var errors = FieldErrors(Html.Parse(await response.Content.ReadAsStringAsync()));
                if (!errors.Any(e => e.Field == field))
                    failures.Add($"{persona} on {url}: {form.Action} field {field} with a line break was refused without a message next to it"
                        + $" ({string.Join(" / ", errors.Select(e => $"{e.Field}: {e.Message}"))})");
            }
            return count;
        });
        // A participant without an account names themselves when joining.
        var ids = await DemoIds.LoadAsync(factory);
        var workshop = await WorkshopSessions.CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        var guest = factory.CreateBrowserClient();
        var joined = await guest.PostFormAsync("/join", new() { ["Code"] = workshop.Code, ["Name"] = "Ann\r\nBob" });
        Assert.Equal(HttpStatusCode.BadRequest, joined.StatusCode);
        Assert.Contains(FieldErrors(Html.Parse(await joined.Content.ReadAsStringAsync())), e => e.Field == "Name" && e.Message == MicipPlanner.Web.Mvc.TextRules.SingleLineMessage);
        output.WriteLine($"{tried} one-line fields tried with a line break.");
        Assert.True(tried > 20, $"Only {tried} one-line fields were found; the crawl lost its way.");
        Assert.True(failures.Count == 0, $"{failures.Count} one-line fields took a line break:\n  " + string.Join("\n  ", failures.Distinct()));
    }

    /// <summary>
    /// Opens every page each person may open and hands each post form on it (once per named button) to
    /// <paramref name="submit"/>, read afresh from the page each time since an earlier submission may have changed it.
    /// </summary>
    private async Task<int> CrawlAsync(Func<Persona, HttpClient, string, RenderedForm, Task<int>> submit)
    {
        var total = 0;
        await foreach (var (persona, client, url) in PagesAsync())
        {
            var forms = await PostFormsAsync(client, url);
            for (var index = 0; index < forms.Count; index++)
            {
                for (var variant = 0; variant < forms[index].ByEachButton().Count; variant++)
                {
                    var now = await PostFormsAsync(client, url);
                    if (index >= now.Count) break;
                    var buttons = now[index].ByEachButton();
                    if (variant >= buttons.Count) break;
                    var form = buttons[variant];
                    if (SessionEnding.Contains(form.Action) || form.Action.Length == 0) continue;
                    total += await submit(persona, client, url, form);
                }
            }
        }
        return total;
    }

    /// <summary>Every HTML page each person may open (as the authorization matrix says), with that person's browser.</summary>
    private async IAsyncEnumerable<(Persona Persona, HttpClient Client, string Url)> PagesAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await Personas.CreateNetworkPersonasAsync(factory);
        var values = (await DistrictRouteValues.LoadAsync(factory, ids.Lakeshore, ids.LakeshoreCycle)).ToDictionary();
        var workshop = await WorkshopSessions.CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        values["workshopId"] = workshop.Id.ToString();
        var pages = EndpointCatalog.All(factory).Where(e => e.Method == "GET").ToList();
        foreach (var persona in People)
        {
            var client = await Personas.ClientAsync(factory, persona);
            foreach (var page in pages)
            {
                if (!AuthorizationMatrixTests.Matrix.TryGetValue(page.Key, out var expectation) || expectation.For(persona) != Outcome.Ok) continue;
                string url;
                try { url = EndpointCatalog.Fill(page.Template, values); }
                catch (KeyNotFoundException) { continue; }
                if (url.EndsWith(".pdf", StringComparison.Ordinal) || url.EndsWith(".csv", StringComparison.Ordinal)
                    || url.EndsWith(".xlsx", StringComparison.Ordinal) || url.EndsWith(".json", StringComparison.Ordinal)) continue;
                yield return (persona, client, url);
            }
        }
    }

    [Fact]
    public async Task Every_page_gives_each_element_id_once()
    {
        // A repeated id makes aria-labelledby and label-for ambiguous (a chart's title and a heading once shared "heat-title").
        var failures = new List<string>();
        var pages = 0;
        await foreach (var (persona, client, url) in PagesAsync())
        {
            using var response = await client.GetAsync(url);
            if (response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            pages++;
            var repeated = Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelectorAll("[id]").GroupBy(e => e.Id)
                .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (repeated.Count > 0) failures.Add($"{persona} on {url}: {string.Join(", ", repeated)}");
        }
        Assert.True(pages > 50, $"Only {pages} pages were read.");
        Assert.True(failures.Count == 0, "Ids given more than once:\n  " + string.Join("\n  ", failures.Distinct()));
    }

    private static async Task<IReadOnlyList<RenderedForm>> PostFormsAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") return [];
        return RenderedForm.PostFormsOf(Html.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Null when the answer is an acceptance or a refusal the person can act on; otherwise what went wrong.</summary>
    private static async Task<string?> RefusalAsync(RenderedForm form, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        if (status is 302 or 303)
            return location.StartsWith("/account/sign-in", StringComparison.Ordinal) || location.StartsWith("/account/access-denied", StringComparison.Ordinal)
                ? $"was sent to {location}" : null;
        if (status is 200 or 201 or 204) return null;
        var body = await response.Content.ReadAsStringAsync();
        if (status != 400) return $"answered {status}: {Excerpt(body)}";
        var page = Html.Parse(body);
        var fieldErrors = FieldErrors(page);
        // The summary may recap the fields' messages ("Nothing was saved. …"); anything else in it has no field to fix.
        var summary = page.QuerySelectorAll(".validation-summary-errors li").Select(li => li.Text())
            .Where(t => t.Length > 0 && !(fieldErrors.Count > 0 && t.StartsWith("Nothing was saved.", StringComparison.Ordinal))).ToList();
        if (summary.Count > 0) return $"was refused with no field to fix: {string.Join(" / ", summary)}";
        if (fieldErrors.Count == 0) return $"answered 400 with no message next to a field: {Excerpt(body)}";
        var wrong = fieldErrors.Where(e => !LeftToFill(form, e.Field)).Select(e => $"{e.Field}: {e.Message}").ToList();
        return wrong.Count == 0 ? null : $"was refused on fields the page had filled in itself: {string.Join(" / ", wrong)}";
    }

    /// <summary>
    /// Messages next to fields: the validation tag helper's, and any error element (id "…-error") a field names in its
    /// aria-describedby, as hand-written field groups do.
    /// </summary>
    private static List<(string Field, string Message)> FieldErrors(AngleSharp.Html.Dom.IHtmlDocument page)
    {
        var errors = page.QuerySelectorAll(".field-validation-error[data-valmsg-for]")
            .Select(e => (Field: e.GetAttribute("data-valmsg-for")!, Message: e.Text())).ToList();
        foreach (var control in page.QuerySelectorAll("[name][aria-describedby]"))
        {
            foreach (var id in control.GetAttribute("aria-describedby")!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (page.GetElementById(id) is { } message && (id.EndsWith("-error", StringComparison.Ordinal) || message.ClassList.Contains("field-validation-error")))
                    errors.Add((control.GetAttribute("name")!, message.Text()));
            }
        }
        return errors.Where(e => e.Message.Length > 0).Distinct().ToList();
    }

    /// <summary>A field the page left for the person: empty, unticked, or not among what the form sends.</summary>
    private static bool LeftToFill(RenderedForm form, string field)
    {
        var sent = form.Values.Where(v => v.Key == field).Select(v => v.Value).ToList();
        return sent.Count == 0 || sent.All(v => v.Length == 0 || v == "false");
    }

    private static string Excerpt(string body)
    {
        var text = Html.Parse(body).QuerySelector("main")?.Text() ?? body;
        return text.Length > 300 ? text[..300] : text;
    }
}
