using System.Net;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests;

public sealed class FoundationTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    [Fact]
    public async Task Demo_leader_signs_in_through_the_real_form_and_lands_on_the_dashboard()
    {
        var client = factory.CreateBrowserClient();
        var signInPage = await client.GetHtmlAsync("/account/sign-in");
        Assert.Contains("__RequestVerificationToken", signInPage);

        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "leader@example.org", ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        var ids = await DemoIds.LoadAsync(factory);
        Assert.Equal($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}", home.Headers.Location!.OriginalString);

        var dashboard = await client.GetHtmlAsync(home.Headers.Location.OriginalString);
        Assert.Contains("Lakeshore Public Schools", dashboard);
        Assert.Contains("Harbor View Elementary", dashboard);
        Assert.Contains("Submitted", dashboard);
        Assert.Contains("Group A", dashboard);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message_and_no_cookie()
    {
        var client = factory.CreateBrowserClient();
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "member@example.org", ["Password"] = "wrong-password" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not right", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/districts/1")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_antiforgery_token_is_rejected()
    {
        var client = factory.CreateBrowserClient();
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "leader@example.org", ["Password"] = TestClient.DemoPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_request_for_a_district_page_is_redirected_to_sign_in()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var client = factory.CreateBrowserClient();
        var response = await client.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/account/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Member_of_another_district_gets_404_for_the_dashboard()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var pineRidge = await factory.SignedInAsync("pineridge@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await pineRidge.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pineRidge.GetAsync($"/districts/{ids.Lakeshore}")).StatusCode);
        // The same cycle id under the person's own district is not a way in either.
        Assert.Equal(HttpStatusCode.NotFound, (await pineRidge.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.LakeshoreCycle}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pineRidge.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}")).StatusCode);
    }

    [Fact]
    public async Task Facilitator_sees_both_districts_and_building_member_only_their_own()
    {
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var home = await facilitator.GetHtmlAsync("/");
        Assert.Contains("Lakeshore Public Schools", home);
        Assert.Contains("Pine Ridge Community Schools", home);

        var ids = await DemoIds.LoadAsync(factory);
        var building = await factory.SignedInAsync("building1@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await building.GetAsync($"/districts/{ids.PineRidge}/cycles/{ids.PineRidgeCycle}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await building.GetAsync($"/districts/{ids.Lakeshore}/organisation")).StatusCode);
    }

    [Theory]
    [InlineData("", "01999", "Enter the building&#x27;s name.")]
    [InlineData("   ", "01999", "Enter the building&#x27;s name.")]
    [InlineData("New School", "0199", "Enter the 5-digit state building code")]
    [InlineData("New School", "0199a", "Enter the 5-digit state building code")]
    [InlineData("New School", "01001", "Another building in this district already uses this code.")]
    public async Task Creating_a_building_with_bad_input_shows_the_field_error_and_saves_nothing(string name, string code, string expectedError)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var before = await factory.WithDbAsync(db => db.Buildings.CountAsync());

        var response = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/buildings/new",
            new() { ["Name"] = name, ["Code"] = code, ["Grades"] = "K-5" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(expectedError, html);
        Assert.Contains("field-validation-error", html);
        Assert.Equal(before, await factory.WithDbAsync(db => db.Buildings.CountAsync()));
    }

    [Fact]
    public async Task Creating_a_building_trims_the_name_and_a_too_long_name_is_refused()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");

        var tooLong = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/buildings/new",
            new() { ["Name"] = new string('x', 201), ["Code"] = "01777", ["Grades"] = "" });
        Assert.Contains("Use at most 200 characters.", await tooLong.Content.ReadAsStringAsync());

        var ok = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/buildings/new",
            new() { ["Name"] = "  Lakeview Early Childhood Center  ", ["Code"] = "01777", ["Grades"] = "PK" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var saved = await factory.WithDbAsync(db => db.Buildings.SingleAsync(b => b.Code == "01777"));
        Assert.Equal("Lakeview Early Childhood Center", saved.Name);
        Assert.Equal(ids.Lakeshore, saved.DistrictId);
    }

    [Fact]
    public async Task District_team_member_cannot_manage_buildings()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var member = await factory.SignedInAsync("member@example.org");
        var token = await member.AntiforgeryTokenAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}");
        var response = await member.PostAsync($"/districts/{ids.Lakeshore}/buildings/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Sneaky School", ["Code"] = "01888", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Buildings.AnyAsync(b => b.Code == "01888")));
    }

    [Fact]
    public async Task Concurrent_edit_of_a_building_raises_a_conflict_and_keeps_the_first_save()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var building = await factory.WithDbAsync(db => db.Buildings.SingleAsync(b => b.DistrictId == ids.Lakeshore && b.Code == "01004"));
        var url = $"/districts/{ids.Lakeshore}/buildings/{building.Id}/edit";
        var leader = await factory.SignedInAsync("leader@example.org");
        var facilitator = await factory.SignedInAsync("facilitator@example.org");

        // Both opened the form when the building had its original version.
        var first = await leader.PostFormAsync(url, new()
        {
            ["Name"] = "Lakeshore High School (renamed by leader)", ["Code"] = "01004", ["Grades"] = "9-12",
            ["Version"] = building.Version.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        var second = await facilitator.PostFormAsync(url, new()
        {
            ["Name"] = "Lakeshore High School (renamed by facilitator)", ["Code"] = "01004", ["Grades"] = "9-12",
            ["Version"] = building.Version.ToString(),
        });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Someone else changed this building", await second.Content.ReadAsStringAsync());

        var stored = await factory.WithDbAsync(db => db.Buildings.AsNoTracking().SingleAsync(b => b.Id == building.Id));
        Assert.Equal("Lakeshore High School (renamed by leader)", stored.Name);
    }

    [Fact]
    public async Task Concurrent_edit_of_a_district_answers_409_and_keeps_the_first_save()
    {
        var district = await factory.WithDbAsync(db => Build.District(db).Named($"Conflict District {Build.Next()}").SaveAsync());
        var url = $"/districts/{district.Id}/edit";
        var admin = await factory.SignedInAsync("admin@example.org");
        // The page opened twice (two tabs, or two people), each renamed and saved.
        var firstTab = RenderedForm.Find(Html.Parse(await admin.GetHtmlAsync(url)), url, [])!.Set("Name", district.Name + " (first)");
        var secondTab = RenderedForm.Find(Html.Parse(await admin.GetHtmlAsync(url)), url, [])!.Set("Name", district.Name + " (second)");

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync(url, firstTab.Content())).StatusCode);
        var second = await admin.PostAsync(url, secondTab.Content());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Someone else changed this district", await second.Content.ReadAsStringAsync());
        Assert.Equal(district.Name + " (first)", await factory.WithDbAsync(db => db.Districts.Where(d => d.Id == district.Id).Select(d => d.Name).SingleAsync()));
    }

    [Fact]
    public async Task Health_endpoint_reports_the_database()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"database\"", body);
        Assert.Contains("Healthy", body);
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_and_old_and_new_value()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var leader = await factory.SignedInAsync("leader@example.org");
        var response = await leader.PostFormAsync($"/districts/{ids.Lakeshore}/buildings/new",
            new() { ["Name"] = "Audit Trail Academy", ["Code"] = "01555", ["Grades"] = "K-8" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var entries = await factory.WithDbAsync(async db =>
        {
            var leaderId = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
            var buildingId = await db.Buildings.Where(b => b.Code == "01555").Select(b => b.Id.ToString()).SingleAsync();
            return await db.AuditEntries.Where(a => a.EntityType == "Building" && a.EntityId == buildingId && a.UserId == leaderId).ToListAsync();
        });
        Assert.Contains(entries, e => e.Field == "Name" && e.NewValue == "Audit Trail Academy" && e.OldValue == null && e.DistrictId == ids.Lakeshore);
    }
}
