using System.Net;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>Browser-like helpers: sign in through the real form, post forms with their antiforgery token.</summary>
public static class TestClient
{
    public const string DemoPassword = "Demo-Pass-2026!";

    public static async Task<HttpClient> SignedInAsync(this MicipWebFactory factory, string email, string password = DemoPassword)
    {
        var client = factory.CreateBrowserClient();
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>
    /// Opens the form page (<paramref name="formPage"/>, else <paramref name="url"/>), takes the form that posts to
    /// <paramref name="url"/> as the page rendered it (hidden fields, current values, its antiforgery token), changes
    /// only <paramref name="fields"/> as a user would, and submits it. Fails when the page renders no such form or the
    /// form has no such field: a request the page does not offer goes through <see cref="PostUnofferedAsync"/>.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var pageUrl = formPage ?? url;
        var page = await client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        var form = RenderedForm.Find(Html.Parse(html), url, fields)
            ?? throw new InvalidOperationException($"{pageUrl} ({(int)page.StatusCode}) renders no form posting to {url}; "
                + "a test of a request the page does not offer uses PostUnofferedAsync.");
        foreach (var (name, value) in fields) form.Set(name, value);
        return await client.PostAsync(url, form.Content());
    }

    /// <summary>
    /// Posts fields the test chose itself, with a valid antiforgery token from <paramref name="tokenPage"/>: for requests
    /// no page offers (another district's ids, forged or hostile fields, a form that is no longer shown).
    /// </summary>
    public static async Task<HttpResponseMessage> PostUnofferedAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? tokenPage = null)
    {
        var token = await AntiforgeryTokenAsync(client, tokenPage ?? url);
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(all));
    }

    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string pageUrl)
    {
        var page = await client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenIn(html);
        if (token.Length == 0)
        {
            // Pages without a form of their own still carry the sign-out form's token when signed in.
            token = TokenIn(await (await client.GetAsync("/handouts")).Content.ReadAsStringAsync());
        }
        if (token.Length == 0) throw new InvalidOperationException($"No antiforgery token on {pageUrl} ({(int)page.StatusCode}).");
        return token;
    }

    public static async Task<string> GetHtmlAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        return html;
    }

    /// <summary>The first antiforgery token in the page, or "" when it has none.</summary>
    public static string TokenIn(string html) =>
        Html.Parse(html).QuerySelector("input[type=hidden][name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
}
