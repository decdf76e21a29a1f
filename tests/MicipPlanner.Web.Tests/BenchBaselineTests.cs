using System.Net;
using MicipPlanner.Web.Tests.Support;

namespace MicipPlanner.Web.Tests;

/// <summary>The app with the benchmark switch on, as the load benchmark starts it.</summary>
public sealed class BenchEnabledFactory : QueryCountingFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Bench:Enabled", "true")];
}

/// <summary>The load benchmark's baseline: the framework's floor, present only in the benchmark configuration.</summary>
public sealed class BenchBaselineTests
{
    [Fact]
    public async Task Baseline_is_not_found_without_the_benchmark_switch()
    {
        using var factory = new MicipWebFactory();
        var anonymous = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/bench/baseline")).StatusCode);
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync("/bench/baseline")).StatusCode);
    }

    [Fact]
    public async Task With_the_switch_it_needs_a_sign_in_and_never_touches_the_database()
    {
        using var factory = new BenchEnabledFactory();
        var anonymous = factory.CreateBrowserClient();
        var refused = await anonymous.GetAsync("/bench/baseline");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in", refused.Headers.Location!.PathAndQuery);

        var leader = await factory.SignedInAsync("leader@example.org");
        await leader.GetAsync("/bench/baseline");
        factory.Counter.Clear();
        var response = await leader.GetAsync("/bench/baseline");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("leader@example.org", await response.Content.ReadAsStringAsync());
        Assert.Empty(factory.Counter.CommandsFor("/bench/baseline"));
    }
}
