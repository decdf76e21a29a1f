using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Web.Tests.Support;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// What a phone downloads (ADR 18): style sheets and scripts under fingerprinted names, kept for a year without asking again,
/// revalidated by ETag, sent Brotli- or gzip-compressed; pages that carry an antiforgery token are never compressed.
/// </summary>
public sealed partial class StaticAssetsTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private const int OneYearInSeconds = 365 * 24 * 60 * 60;

    [Fact]
    public async Task The_layout_names_every_style_sheet_and_script_by_a_fingerprinted_address()
    {
        var client = factory.CreateBrowserClient();
        var participant = await WorkshopSessions.ParticipantAtStepAsync(factory, WorkshopStep.Activity2);
        foreach (var (who, path) in new[] { (client, "/account/sign-in"), (client, "/join"), (participant, "/join/workshop") })
        {
            var assets = AssetsOf(await who.GetHtmlAsync(path));
            Assert.Contains(assets, a => a.StartsWith("/lib/bootstrap/dist/css/bootstrap.min.", StringComparison.Ordinal));
            Assert.Contains(assets, a => a.StartsWith("/css/site.", StringComparison.Ordinal));
            Assert.Contains(assets, a => a.StartsWith("/favicon.", StringComparison.Ordinal));
            foreach (var asset in assets)
            {
                Assert.True(Fingerprinted().IsMatch(asset), $"{path} names {asset}, not a fingerprinted address.");
                var response = await client.GetAsync(asset);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_fingerprinted_file_is_kept_for_a_year_as_immutable_and_revalidates_by_its_ETag()
    {
        var client = factory.CreateBrowserClient();
        var siteCss = AssetsOf(await client.GetHtmlAsync("/join")).Single(a => a.StartsWith("/css/site.", StringComparison.Ordinal));

        var response = await client.GetAsync(siteCss);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl;
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.MaxAge >= TimeSpan.FromSeconds(OneYearInSeconds), $"Cache-Control: {cacheControl}");
        Assert.Contains(cacheControl.Extensions, e => e.Name == "immutable");
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains(".bg-primary-dark", await response.Content.ReadAsStringAsync());

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, siteCss);
        revalidation.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(revalidation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // Signed in, pages are never stored (no-store), but their style sheets still are.
        var leader = await factory.SignedInAsync("leader@example.org");
        var forLeader = await leader.GetAsync(siteCss);
        Assert.Contains(forLeader.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
        Assert.False(forLeader.Headers.CacheControl.NoStore);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Style_sheets_scripts_and_the_icon_come_compressed_in_the_encoding_the_browser_accepts(string encoding)
    {
        var client = factory.CreateBrowserClient();
        var assets = AssetsOf(await client.GetHtmlAsync("/join"));
        Assert.NotEmpty(assets);
        long plainBytes = 0, compressedBytes = 0;
        foreach (var asset in assets)
        {
            var plain = await client.GetAsync(asset);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            var original = await plain.Content.ReadAsByteArrayAsync();

            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            var compressed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
            Assert.Equal(encoding, Assert.Single(compressed.Content.Headers.ContentEncoding));
            Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
            var body = await compressed.Content.ReadAsByteArrayAsync();
            Assert.Equal(original, Decompress(body, encoding));
            (plainBytes, compressedBytes) = (plainBytes + original.Length, compressedBytes + body.Length);
        }
        // A file of a few bytes may grow by the format's header; the page's files together shrink to well under half.
        Assert.True(compressedBytes * 2 < plainBytes, $"{compressedBytes:N0} bytes {encoding}, {plainBytes:N0} plain.");
    }

    [Fact]
    public async Task Pages_with_an_antiforgery_token_are_sent_uncompressed_while_their_style_sheets_are_compressed()
    {
        var participant = await WorkshopSessions.ParticipantAtStepAsync(factory, WorkshopStep.Activity2);
        foreach (var (client, path) in new[] { (factory.CreateBrowserClient(), "/join"), (participant, "/join/workshop") })
        {
            // BREACH: a compressed page's size would tell an eavesdropper on HTTPS how much of a guess matches its token.
            var page = await client.SendAsync(AcceptingCompression(path));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Empty(page.Content.Headers.ContentEncoding);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("name=\"__RequestVerificationToken\"", html);

            var bootstrap = AssetsOf(html).Single(a => a.StartsWith("/lib/bootstrap/dist/css/", StringComparison.Ordinal));
            var styles = await client.SendAsync(AcceptingCompression(bootstrap));
            Assert.Equal("br", Assert.Single(styles.Content.Headers.ContentEncoding));
        }
    }

    private static HttpRequestMessage AcceptingCompression(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        return request;
    }

    /// <summary>The app's own style sheets, scripts and icon a page links to.</summary>
    private static List<string> AssetsOf(string html)
    {
        var document = Html.Parse(html);
        return document.QuerySelectorAll("link[rel=stylesheet], link[rel=icon]").Select(l => l.GetAttribute("href")!)
            .Concat(document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .Where(url => url.StartsWith('/'))
            .ToList();
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    // The build names each file name.{hash}.ext; a changed file gets a new name, so the old one can be kept for good.
    [GeneratedRegex(@"^/[\w/.-]+\.[a-z0-9]{10}\.(css|js|ico)$")]
    private static partial Regex Fingerprinted();
}
