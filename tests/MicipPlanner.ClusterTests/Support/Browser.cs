using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MicipPlanner.Web.Tests.Support;

namespace MicipPlanner.ClusterTests.Support;

/// <summary>One person's browser: its own cookies, no automatic redirects, and the instance that served each answer
/// (nginx names it in X-Upstream).</summary>
public sealed class Browser(Uri root) : IDisposable
{
    /// <summary>The browser's cookies, for a live connection opened as the same person.</summary>
    public CookieContainer Cookies { get; } = new();

    private HttpClient? _client;

    private HttpClient Client => _client ??= new(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
    {
        BaseAddress = root,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public List<string> Upstreams { get; } = [];

    public string LastUpstream => Upstreams[^1];

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        Record(response);
        return response;
    }

    public async Task<IHtmlDocument> PageAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    public Task<HttpResponseMessage> SubmitAsync(RenderedForm form, bool wantsJson = false) => PostAsync(form.Action, form.Values, wantsJson);

    public async Task<HttpResponseMessage> PostAsync(string action, IEnumerable<KeyValuePair<string, string>> values, bool wantsJson = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) };
        if (wantsJson) request.Headers.Accept.ParseAdd("application/json");
        var response = await Client.SendAsync(request);
        Record(response);
        return response;
    }

    public async Task SignInAsync(string email)
    {
        var page = await PageAsync("/account/sign-in");
        var form = RenderedForm.Find(page, "/account/sign-in", ["Email", "Password"])!.Set("Email", email).Set("Password", "Demo-Pass-2026!");
        using var response = await SubmitAsync(form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/account/sign-in", response.Headers.Location?.OriginalString ?? "");
    }

    private void Record(HttpResponseMessage response) =>
        Upstreams.Add(response.Headers.TryGetValues("X-Upstream", out var values) ? string.Join(",", values) : "");

    public void Dispose() => _client?.Dispose();
}
