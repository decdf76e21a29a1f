using System.Net;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Admin;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

public sealed class FirstRunTests(EmptyServerFactory factory) : IClassFixture<EmptyServerFactory>
{
    [Fact]
    public async Task First_visitor_creates_the_administrator_and_the_setup_page_then_disappears()
    {
        var client = factory.CreateBrowserClient();
        var home = await client.GetAsync("/");
        Assert.Equal("/setup", home.Headers.Location!.OriginalString);

        var mismatch = await client.PostFormAsync("/setup", new()
        {
            ["DisplayName"] = "Dana IT", ["Email"] = "it@district.example.org", ["Password"] = "Install-Pass-2026", ["ConfirmPassword"] = "Different-2026",
        });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("The two passwords do not match.", await mismatch.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync()));

        var created = await client.PostFormAsync("/setup", new()
        {
            ["DisplayName"] = "Dana IT", ["Email"] = "it@district.example.org", ["Password"] = "Install-Pass-2026", ["ConfirmPassword"] = "Install-Pass-2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("My districts", await client.GetHtmlAsync("/"));
        Assert.True(await factory.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == "it@district.example.org");
            return await db.UserRoles.AnyAsync(r => r.UserId == user.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == AppRoles.Admin));
        }));

        // Once an account exists, nobody can use the setup page again.
        var stranger = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/setup")).StatusCode);

        // The command line refuses a second account with the same e-mail and creates another administrator.
        await using var scope = factory.Scope();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(1, await AdminCommand.CreateAdminAsync(scope.ServiceProvider, "it@district.example.org", output, error));
        Assert.Contains("already exists", error.ToString());
        Assert.Equal(2, await AdminCommand.CreateAdminAsync(scope.ServiceProvider, "not-an-email", output, error));

        Assert.Equal(0, await AdminCommand.CreateAdminAsync(scope.ServiceProvider, "second@district.example.org", output, error));
        var password = output.ToString().Split("Password (shown once, change it after signing in): ")[1].Trim();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var second = await users.FindByEmailAsync("second@district.example.org");
        Assert.True(await users.IsInRoleAsync(second!, AppRoles.Admin));
        var signedIn = await factory.SignedInAsync("second@district.example.org", password);
        Assert.Contains("Add a district", await signedIn.GetHtmlAsync("/"));
    }
}
