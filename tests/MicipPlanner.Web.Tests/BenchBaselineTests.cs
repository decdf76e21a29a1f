using System.Net;
using MicipPlanner.Web.Tests.Support;

namespace MicipPlanner.Web.Tests;

/// <summary>The load benchmark's floors (baseline and layout floor), present only in the benchmark configuration.</summary>
public sealed class BenchBaselineTests
{
    [Theory]
    [InlineData("/bench/baseline")]
    [InlineData("/bench/layout")]
    [InlineData("/bench/jit")]
    public async Task Floors_are_not_found_without_the_benchmark_switch(string url)
    {
        using var factory = new MicipWebFactory();
        var anonymous = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/bench/baseline", false)]
    [InlineData("/bench/layout", true)]
    public async Task With_the_switch_a_floor_needs_a_sign_in_and_never_touches_the_database(string url, bool withLayout)
    {
        using var factory = new BenchEnabledFactory();
        var anonymous = factory.CreateBrowserClient();
        var refused = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in", refused.Headers.Location!.PathAndQuery);

        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetAsync(url);
        factory.Counter.Clear();
        var response = await leader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("leader@example.org", html);
        // The layout floor carries what every page carries (navigation, sign-out form with its token); the baseline none of it.
        Assert.Equal(withLayout, html.Contains("Skip to main content", StringComparison.Ordinal));
        Assert.Equal(withLayout, html.Contains("__RequestVerificationToken", StringComparison.Ordinal));
        Assert.Empty(factory.Counter.CommandsFor(url));
        // The counter does see a page that reads the database, so the empty list above means something.
        var dashboard = $"/districts/{(await DemoIds.LoadAsync(factory)).Lakeshore}/organisation";
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync(dashboard)).StatusCode);
        Assert.NotEmpty(factory.Counter.CommandsFor(dashboard));
    }

    [Fact]
    public async Task The_jit_figures_grow_as_new_code_runs()
    {
        using var factory = new BenchEnabledFactory();
        var leader = await factory.SignedInAsync("leader@example.org");
        var first = System.Text.Json.JsonDocument.Parse(await leader.GetStringAsync("/bench/jit")).RootElement;
        await leader.GetAsync($"/districts/{(await DemoIds.LoadAsync(factory)).Lakeshore}/organisation");
        var second = System.Text.Json.JsonDocument.Parse(await leader.GetStringAsync("/bench/jit")).RootElement;
        Assert.True(second.GetProperty("methods").GetInt64() > first.GetProperty("methods").GetInt64());
        Assert.True(second.GetProperty("compilationMs").GetDouble() >= first.GetProperty("compilationMs").GetDouble());
    }
}
