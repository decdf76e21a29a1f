using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MicipPlanner.Bench;

public sealed record PageWeightOptions(string Root, string Email, string Password, string District, string AcceptEncoding, TimeSpan BetweenVisits, bool Verbose);

/// <summary>One response as a phone receives it: what was asked, how it was answered and how many bytes came over the wire.</summary>
public sealed record Transfer(string Method, string Path, int Status, string? Encoding, long HeaderBytes, long BodyBytes, bool FromCache)
{
    public long Bytes => HeaderBytes + BodyBytes;
}

public sealed record PageVisit(string Page, string Visit, List<Transfer> Transfers)
{
    public int Requests => Transfers.Count(t => !t.FromCache);
    public int Revalidated => Transfers.Count(t => t.Status == 304);
    public int FromCache => Transfers.Count(t => t.FromCache);
    public long Bytes => Transfers.Sum(t => t.Bytes);
}

public sealed record PageWeightRun(DateTimeOffset At, string Root, string AcceptEncoding, double DaysBetweenVisits, List<PageVisit> Visits);

/// <summary>
/// What a phone downloads for the workshop pages: a facilitator starts a workshop in the demo district and opens Activity 2, then one
/// phone opens the join page, joins, and comes back to both pages for the next workshop. The phone is an HTTP client with a browser's
/// cache (RFC 9111, as browsers apply it): it fetches a page, then the style sheets, scripts and icon the page names; it keeps what
/// the answers allow it to keep; later it takes from its cache whatever is still fresh and asks again (If-None-Match /
/// If-Modified-Since) for the rest. An answer without an explicit lifetime stays fresh for a tenth of the time since its file last
/// changed (the browsers' heuristic), so with a deployment under ten times the gap between visits old, it is asked for again.
/// </summary>
public static partial class PageWeight
{
    public static async Task<PageWeightRun> RunAsync(PageWeightOptions options)
    {
        await WaitForAppAsync(options.Root);
        var (code, presenter) = await StartWorkshopAsync(options);
        Console.WriteLine($"Workshop {code} started ({presenter}), Activity 2 open.");

        var phone = new Phone(options.Root, options.AcceptEncoding);
        var visits = new List<PageVisit>();
        async Task<string> Record(string page, string visit, Func<Task<string>> action)
        {
            phone.Transfers.Clear();
            var html = await action();
            visits.Add(new PageVisit(page, visit, [.. phone.Transfers]));
            return html;
        }

        var join = await Record("/join", "first visit (empty cache)", () => phone.VisitAsync("/join"));
        await Record("/join/workshop", "first visit, just after joining (the join form's answer and the page)", () => phone.SubmitAsync("/join",
            new Dictionary<string, string> { ["Code"] = code, ["Name"] = "Page weight", ["__RequestVerificationToken"] = Token(join) }));
        phone.Wait(options.BetweenVisits);
        await Record("/join", "second visit", () => phone.VisitAsync("/join"));
        await Record("/join/workshop", "second visit", () => phone.VisitAsync("/join/workshop"));
        phone.ClearCache();
        await Record("/join/workshop", "first visit with an empty cache", () => phone.VisitAsync("/join/workshop"));

        var run = new PageWeightRun(DateTimeOffset.UtcNow, options.Root, options.AcceptEncoding, options.BetweenVisits.TotalDays, visits);
        if (options.Verbose)
            foreach (var visit in visits)
            {
                Console.WriteLine($"{visit.Page}, {visit.Visit}:");
                foreach (var t in visit.Transfers)
                    Console.WriteLine(t.FromCache
                        ? $"  {t.Method,-4} {t.Path,-70} from cache"
                        : $"  {t.Method,-4} {t.Path,-70} {t.Status} {t.Encoding ?? "-",-4} {t.HeaderBytes,6:N0} + {t.BodyBytes,8:N0} B");
            }
        return run;
    }

    public static string Markdown(PageWeightRun run)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Accept-Encoding: {run.AcceptEncoding}; second visits {run.DaysBetweenVisits:0.##} days later; bytes are response headers and bodies as sent.");
        sb.AppendLine();
        sb.AppendLine("| page | visit | requests | of which 304 | taken from cache | bytes downloaded |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var v in run.Visits)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| `{v.Page}` | {v.Visit} | {v.Requests} | {v.Revalidated} | {v.FromCache} | {v.Bytes:N0} |");
        return sb.ToString();
    }

    /// <summary>Waits up to a minute for the app to answer its health check, so the command can follow the app's start.</summary>
    private static async Task WaitForAppAsync(string root)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(root.TrimEnd('/') + "/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{root} did not answer /healthz within a minute.");
            await Task.Delay(500);
        }
    }

    private static async Task<(string Code, string Presenter)> StartWorkshopAsync(PageWeightOptions options)
    {
        using var facilitator = new Phone(options.Root, options.AcceptEncoding);
        var signIn = await facilitator.VisitAsync("/account/sign-in");
        var home = await facilitator.SubmitAsync("/account/sign-in",
            new Dictionary<string, string> { ["Email"] = options.Email, ["Password"] = options.Password, ["__RequestVerificationToken"] = Token(signIn) });
        var district = DistrictLink().Matches(home).FirstOrDefault(m => WebUtility.HtmlDecode(m.Groups["name"].Value) == options.District)
            ?? throw new InvalidOperationException($"{options.Email} does not see \"{options.District}\" on the home page: is the app running with --seed-demo?");
        await facilitator.VisitAsync(district.Groups["path"].Value);
        var cycle = facilitator.LastPath;
        var workshops = cycle + "/workshops";
        var form = await facilitator.VisitAsync(workshops + "/new");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Activity1", "false"), new("Activity2", "true"), new("Activity3", "false"), new("Assignment", "RoundRobin"),
            new("__RequestVerificationToken", Token(form)),
        };
        fields.AddRange(GroupBox().Matches(form).Select(m => new KeyValuePair<string, string>("GroupIds", m.Groups[1].Value)));
        var presenterPage = await facilitator.SubmitAsync(workshops, fields);
        var presenter = facilitator.LastPath;
        await facilitator.SubmitAsync(presenter + "/step", [new("Step", "Activity2"), new("__RequestVerificationToken", Token(presenterPage))]);
        var code = PresenterCode().Match(presenterPage);
        if (!code.Success) throw new InvalidOperationException($"No workshop code on the presenter page {presenter}.");
        return (code.Groups[1].Value.Replace("-", "", StringComparison.Ordinal), presenter);
    }

    private static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        if (!match.Success) throw new InvalidOperationException("No antiforgery token in the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A phone's browser: its cookies, its HTTP cache, and the bytes of every response it receives.</summary>
    private sealed class Phone : IDisposable
    {
        private readonly HttpClient _http;
        private readonly string _root;
        private readonly string _acceptEncoding;
        private readonly Dictionary<string, Stored> _cache = [];
        private string _lastPath = "";
        private TimeSpan _clock;

        public Phone(string root, string acceptEncoding)
        {
            _root = root.TrimEnd('/');
            _acceptEncoding = acceptEncoding;
            // No automatic redirects or decompression: every response is counted as it arrived.
            _http = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
            })
            { Timeout = TimeSpan.FromSeconds(30) };
        }

        public List<Transfer> Transfers { get; } = [];

        public void ClearCache() => _cache.Clear();

        /// <summary>Lets time pass for the cache (the server's clock is not touched).</summary>
        public void Wait(TimeSpan time) => _clock += time;

        private DateTimeOffset Now => DateTimeOffset.UtcNow + _clock;

        /// <summary>The path of the page the last visit or form ended on, after redirects.</summary>
        public string LastPath => _lastPath;

        /// <summary>Opens a page as a browser does: the document (following redirects), then what it links to.</summary>
        public async Task<string> VisitAsync(string path)
        {
            var html = await FollowAsync(await FetchAsync(HttpMethod.Get, path, "text/html,application/xhtml+xml,*/*;q=0.8"), path);
            await LoadSubresourcesAsync(html);
            return html;
        }

        /// <summary>Posts a form as a browser does, then follows the answer's redirects and loads the page it ends on.</summary>
        public async Task<string> SubmitAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
        {
            var html = await FollowAsync(await FetchAsync(HttpMethod.Post, path, "text/html,application/xhtml+xml,*/*;q=0.8", new FormUrlEncodedContent(fields)), path);
            await LoadSubresourcesAsync(html);
            return html;
        }

        private async Task<string> FollowAsync((int Status, string? Location, byte[] Body, string? Encoding) response, string path)
        {
            for (var hops = 0; response.Status is 301 or 302 or 303 or 307 or 308; hops++)
            {
                if (hops == 10 || response.Location is null) throw new InvalidOperationException($"Too many redirects from {path}.");
                path = response.Location.StartsWith('/') ? response.Location : new Uri(response.Location).PathAndQuery;
                response = await FetchAsync(HttpMethod.Get, path, "text/html,application/xhtml+xml,*/*;q=0.8");
            }
            if (response.Status != 200) throw new InvalidOperationException($"{path} answered {response.Status}.");
            _lastPath = path;
            return Encoding.UTF8.GetString(Decode(response.Body, response.Encoding));
        }

        private async Task LoadSubresourcesAsync(string html)
        {
            var paths = new List<(string Path, string Accept)>();
            var hasIcon = false;
            foreach (Match tag in Tag().Matches(html))
            {
                var attributes = Attribute().Matches(tag.Value).ToDictionary(a => a.Groups["name"].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups["value"].Value));
                var rel = attributes.GetValueOrDefault("rel", "");
                if (tag.Groups["tag"].Value == "script" && attributes.TryGetValue("src", out var src)) paths.Add((src, "*/*"));
                else if (rel == "stylesheet" && attributes.TryGetValue("href", out var css)) paths.Add((css, "text/css,*/*;q=0.1"));
                else if (rel.Contains("icon", StringComparison.Ordinal) && attributes.TryGetValue("href", out var icon)) { paths.Add((icon, "image/*,*/*;q=0.8")); hasIcon = true; }
            }
            // Without a <link rel="icon">, browsers ask for /favicon.ico.
            if (!hasIcon) paths.Add(("/favicon.ico", "image/*,*/*;q=0.8"));
            foreach (var (path, accept) in paths.Where(p => p.Path.StartsWith('/') && !p.Path.StartsWith("//", StringComparison.Ordinal)).Distinct())
                await FetchAsync(HttpMethod.Get, path, accept);
        }

        private async Task<(int Status, string? Location, byte[] Body, string? Encoding)> FetchAsync(HttpMethod method, string path, string accept, HttpContent? content = null)
        {
            var now = Now;
            _cache.TryGetValue(path, out var stored);
            if (method == HttpMethod.Get && stored is not null && stored.FreshUntil > now)
            {
                Transfers.Add(new Transfer(method.Method, path, 200, stored.Encoding, 0, 0, FromCache: true));
                return (200, null, stored.Body, stored.Encoding);
            }

            using var request = new HttpRequestMessage(method, _root + path) { Content = content };
            request.Headers.TryAddWithoutValidation("Accept", accept);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", _acceptEncoding);
            if (method == HttpMethod.Get && stored is not null)
            {
                if (stored.ETag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", stored.ETag);
                if (stored.LastModified is { } changed) request.Headers.IfModifiedSince = changed;
            }
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault();
            Transfers.Add(new Transfer(method.Method, path, (int)response.StatusCode, encoding, HeaderBytes(response), body.Length, FromCache: false));

            if (response.StatusCode == HttpStatusCode.NotModified && stored is not null)
            {
                // A 304 updates the stored answer's headers with those it carries (RFC 9111, 4.3.4): a new lifetime if it has one.
                var lifetime = response.Headers.CacheControl is not null || response.Content.Headers.Expires is not null
                    ? FreshFor(response, stored.LastModified) : stored.Lifetime;
                _cache[path] = stored with { Lifetime = lifetime, FreshUntil = now + lifetime };
                return (200, null, stored.Body, stored.Encoding);
            }
            var lastModified = response.Content.Headers.LastModified;
            if (method == HttpMethod.Get && response.StatusCode == HttpStatusCode.OK && response.Headers.CacheControl?.NoStore != true)
            {
                var lifetime = FreshFor(response, lastModified);
                _cache[path] = new Stored(body, encoding, response.Headers.ETag?.ToString(), lastModified, lifetime, now + lifetime);
            }
            else if (method == HttpMethod.Get) _cache.Remove(path);
            return ((int)response.StatusCode, response.Headers.Location?.OriginalString, body, encoding);
        }

        /// <summary>
        /// How long an answer may be used without asking again: none with no-cache, else its max-age, else until its Expires,
        /// else (with a Last-Modified) a tenth of the time between the answer and the file's last change, as browsers guess.
        /// </summary>
        private static TimeSpan FreshFor(HttpResponseMessage response, DateTimeOffset? lastModified)
        {
            var cacheControl = response.Headers.CacheControl;
            if (cacheControl?.NoCache == true) return TimeSpan.Zero;
            if (cacheControl?.MaxAge is { } maxAge) return maxAge;
            var date = response.Headers.Date ?? DateTimeOffset.UtcNow;
            if (response.Content.Headers.Expires is { } expires) return expires - date;
            return lastModified is { } changed && changed < date ? (date - changed) / 10 : TimeSpan.Zero;
        }

        /// <summary>The status line and header lines as HTTP/1.1 sends them.</summary>
        private static long HeaderBytes(HttpResponseMessage response)
        {
            var size = $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n".Length + 2;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                size += name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
                    ? values.Sum(v => name.Length + 2 + Encoding.UTF8.GetByteCount(v) + 2)
                    : name.Length + 2 + Encoding.UTF8.GetByteCount(string.Join(", ", values)) + 2;
            return size;
        }

        private static byte[] Decode(byte[] body, string? encoding)
        {
            if (encoding is null or "identity") return body;
            using var input = new MemoryStream(body);
            using Stream decoder = encoding switch
            {
                "br" => new BrotliStream(input, CompressionMode.Decompress),
                "gzip" => new GZipStream(input, CompressionMode.Decompress),
                _ => throw new InvalidOperationException($"Unexpected Content-Encoding {encoding}."),
            };
            using var output = new MemoryStream();
            decoder.CopyTo(output);
            return output.ToArray();
        }

        public void Dispose() => _http.Dispose();

        private sealed record Stored(byte[] Body, string? Encoding, string? ETag, DateTimeOffset? LastModified, TimeSpan Lifetime, DateTimeOffset FreshUntil);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<a href=\"(?<path>/districts/\\d+)\">(?<name>[^<]+)</a>")]
    private static partial Regex DistrictLink();

    [GeneratedRegex("name=\"GroupIds\" value=\"(\\d+)\"")]
    private static partial Regex GroupBox();

    [GeneratedRegex("class=\"presenter-code\"><span[^>]*>[^<]*</span>([A-Z0-9-]+)<")]
    private static partial Regex PresenterCode();

    [GeneratedRegex("<(?<tag>link|script)\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex("(?<name>[a-zA-Z-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();
}
