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

    /// <summary>GETs the form page (or <paramref name="formPage"/>) for its antiforgery token, then POSTs the fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var token = await AntiforgeryTokenAsync(client, formPage ?? url);
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
