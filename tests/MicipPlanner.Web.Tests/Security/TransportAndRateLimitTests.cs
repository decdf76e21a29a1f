using System.Net;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MicipPlanner.Web.Tests.Security;

/// <summary>Rate limiting of sign-in and setup, HTTPS redirection and HSTS (outside Development).</summary>
public sealed class TransportAndRateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429_with_a_friendly_page()
    {
        var client = factory.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        HttpResponseMessage Post(string url, string password) => client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "member@example.org", ["Password"] = password,
        })).GetAwaiter().GetResult();

        for (var i = 0; i < RateLimitedFactory.Permits; i++)
            Assert.Equal(HttpStatusCode.BadRequest, Post("/account/sign-in", $"Wrong-Guess-{i}-2026").StatusCode);

        var limited = Post("/account/sign-in", TestClient.DemoPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        var html = await limited.Content.ReadAsStringAsync();
        Assert.Contains("Too many attempts", html);
        Assert.Contains("Wait a minute", html);
        // The right password did not get through while limited, and the other secret-taking endpoints share the limit.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, Post("/setup", "x").StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, Post("/account/two-factor", "x").StatusCode);
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/sign-in")).StatusCode);
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_and_https_answers_carry_hsts()
    {
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://micip.example.org") });
        var redirect = await http.GetAsync("/account/sign-in");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal("https://micip.example.org/account/sign-in", redirect.Headers.Location!.ToString());

        var https = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://micip.example.org") });
        var page = await https.GetAsync("/account/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());
    }
}
