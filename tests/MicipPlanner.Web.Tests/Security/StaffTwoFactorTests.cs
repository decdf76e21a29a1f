using System.Net;
using MicipPlanner.Web.Tests.Support;

namespace MicipPlanner.Web.Tests.Security;

/// <summary>Security:RequireTwoFactorForStaff = true.</summary>
public sealed class StaffTwoFactorTests(StaffTwoFactorFactory factory) : IClassFixture<StaffTwoFactorFactory>
{
    [Theory]
    [InlineData("admin@example.org")]
    [InlineData("facilitator@example.org")]
    public async Task Staff_without_two_factor_must_set_it_up_before_anything_else(string email)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var client = await factory.SignedInAsync(email);
        foreach (var url in new[] { "/", $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}", "/notifications" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/security/authenticator", response.Headers.Location!.OriginalString);
        }
        Assert.Contains("must use two-factor sign-in", await client.GetHtmlAsync("/account/security/authenticator"));

        var (key, _) = await TwoFactorHelper.EnableAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);

        // It cannot be turned off while required.
        var disable = await client.PostUnofferedAsync("/account/security/disable", [], "/account/security");
        Assert.Equal(HttpStatusCode.BadRequest, disable.StatusCode);

        // The next sign-in asks for the code and then lets the person straight in.
        var next = factory.CreateBrowserClient();
        var password = await next.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        Assert.StartsWith("/account/two-factor", password.Headers.Location!.OriginalString);
        await next.PostFormAsync("/account/two-factor", new() { ["Code"] = TwoFactorHelper.Code(key) }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
    }

    [Fact]
    public async Task Team_members_are_not_required_to_use_two_factor()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
    }
}
