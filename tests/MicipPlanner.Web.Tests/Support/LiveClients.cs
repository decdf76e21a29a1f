using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using MicipPlanner.Web.Features.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// A browser whose cookies the test can hand to a SignalR client: pages are requested through <see cref="Http"/>, and
/// <see cref="ConnectAsync"/> opens a live connection to the test server with the same cookies (long polling, as the
/// client falls back to when WebSockets are blocked).
/// </summary>
public sealed class LiveBrowser(MicipWebFactory factory)
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _http;

    public HttpClient Http => _http ??= factory.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(_cookies));

    public static async Task<LiveBrowser> SignedInAsync(MicipWebFactory factory, string email)
    {
        var browser = new LiveBrowser(factory);
        var response = await browser.Http.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}");
        return browser;
    }

    public static async Task<LiveBrowser> SeatAsync(MicipWebFactory factory, string code, string name)
    {
        var browser = new LiveBrowser(factory);
        await WorkshopSessions.JoinAsync(factory, code, name, browser: browser.Http);
        return browser;
    }

    /// <summary>A started connection to <paramref name="path"/> (/live or /join/live).</summary>
    public async Task<LiveConnection> ConnectAsync(string path)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri("https://localhost"), path), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => new CookieContainerHandler(_cookies) { InnerHandler = factory.Server.CreateHandler() };
            })
            .Build();
        var connection = new LiveConnection(hub, seat: path.StartsWith(LiveSetup.SeatPath, StringComparison.Ordinal));
        await hub.StartAsync();
        return connection;
    }

    /// <summary>POST {path}/negotiate as the client does first: 200 with a connection, or the refusal.</summary>
    public Task<HttpResponseMessage> NegotiateAsync(string path, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/negotiate?negotiateVersion=1") { Content = new StringContent("") };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return Http.SendAsync(request);
    }
}

/// <summary>One live connection and what it heard: district changes (signed-in), bare changes (seats), closings.</summary>
public sealed class LiveConnection : IAsyncDisposable
{
    private readonly Channel<LiveChange> _changes = Channel.CreateUnbounded<LiveChange>();
    private readonly Channel<bool> _closings = Channel.CreateUnbounded<bool>();
    private readonly Channel<JsonElement> _ratings = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> _tallies = Channel.CreateUnbounded<JsonElement>();

    public LiveConnection(HubConnection hub, bool seat)
    {
        Hub = hub;
        // A signed-in page hears (district, version); a seat's page hears a bare "changed", kept here as version 0.
        if (seat) hub.On(LivePublisher.Changed, () => _changes.Writer.TryWrite(new LiveChange(0, 0)));
        else hub.On<LiveChange>(LivePublisher.Changed, change => _changes.Writer.TryWrite(change));
        hub.On(LivePublisher.Closed, () => _closings.Writer.TryWrite(true));
        // A seat hears its group's ratings whole while the rating step is open.
        if (seat) hub.On<JsonElement>(LivePublisher.Ratings, ratings => _ratings.Writer.TryWrite(ratings));
        // A presenter view hears its heat map's rows.
        else hub.On<JsonElement>(LivePublisher.Tally, tally => _tallies.Writer.TryWrite(tally));
    }

    public HubConnection Hub { get; }

    public Task<bool> WatchAsync(int districtId, int? cycleId = null) => Hub.InvokeAsync<bool>("Watch", districtId, cycleId);

    public Task<bool> PresentAsync(int districtId, int cycleId, int workshopId) => Hub.InvokeAsync<bool>("Present", districtId, cycleId, workshopId);

    /// <summary>The next tally heard by a presenter view, waiting up to <paramref name="seconds"/>; null when none came.</summary>
    public async Task<JsonElement?> NextTallyAsync(double seconds = 10) => await NextAsync(_tallies, seconds) is (true, var tally) ? tally : null;

    /// <summary>Tallies already heard, without waiting.</summary>
    public List<JsonElement> HeardTallies() => Drain(_tallies);

    /// <summary>The next change heard, waiting up to <paramref name="seconds"/>; null when none came.</summary>
    public async Task<LiveChange?> NextChangeAsync(double seconds = 10) => (await NextAsync(_changes, seconds)).Value;

    /// <summary>Waits until nothing was heard for a moment (news of earlier saves still on its way), and forgets it.</summary>
    public async Task SettleAsync()
    {
        while (await NextChangeAsync(0.5) is not null) { }
    }

    /// <summary>Changes already heard, without waiting.</summary>
    public List<LiveChange> Heard() => Drain(_changes);

    /// <summary>The next ratings message heard (an array of changes), waiting up to <paramref name="seconds"/>; null when none came.</summary>
    public async Task<JsonElement?> NextRatingsAsync(double seconds = 10) => await NextAsync(_ratings, seconds) is (true, var ratings) ? ratings : null;

    /// <summary>Ratings messages already heard, without waiting.</summary>
    public List<JsonElement> HeardRatings() => Drain(_ratings);

    public async Task<bool> ClosedAsync(double seconds = 10) => (await NextAsync(_closings, seconds)).Heard;

    /// <summary>The next message of a kind, waiting up to <paramref name="seconds"/>; (false, default) when none came.</summary>
    private static async Task<(bool Heard, T? Value)> NextAsync<T>(Channel<T> channel, double seconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { return (true, await channel.Reader.ReadAsync(timeout.Token)); }
        catch (OperationCanceledException) { return (false, default); }
    }

    private static List<T> Drain<T>(Channel<T> channel)
    {
        var heard = new List<T>();
        while (channel.Reader.TryRead(out var message)) heard.Add(message);
        return heard;
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
