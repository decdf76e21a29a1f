using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.Security;

public sealed partial class HardeningTests(SecurityFactory factory, ITestOutputHelper output) : IClassFixture<SecurityFactory>
{
    /// <summary>Unsafe-method endpoints that need no antiforgery token, each with the reason.</summary>
    private static readonly Dictionary<string, string> AntiforgeryExempt = new()
    {
        ["ANY /error/{statusCode:int?}"] = "error pages render a message and change nothing",
        ["ANY /healthz"] = "the health probe only reads",
        ["ANY /healthz/live"] = "the liveness probe reads nothing",
        ["ANY /healthz/ready"] = "the readiness probe only reads",
        ["ANY /live"] = "the live hub: a page of another site is refused by its origin (LiveTests), and a connection only listens",
        ["ANY /live/negotiate"] = "the live hub's negotiation, refused to another site's page by its origin (LiveTests)",
        ["ANY /join/live"] = "the seats' live hub, refused to another site's page by its origin (LiveTests)",
        ["ANY /join/live/negotiate"] = "the seats' live hub's negotiation, refused to another site's page by its origin (LiveTests)",
    };

    [Fact]
    public async Task Every_unsafe_endpoint_refuses_a_request_without_antiforgery_token()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var values = (await DistrictRouteValues.LoadAsync(factory, ids.Lakeshore, ids.LakeshoreCycle)).ToDictionary();
        values["exampleId"] = "1";
        values["workshopId"] = "1";
        values["participantId"] = "1";
        var unsafeEndpoints = EndpointCatalog.All(factory).Where(e => e.IsUnsafe && !AntiforgeryExempt.ContainsKey(e.Key)).ToList();
        Assert.NotEmpty(unsafeEndpoints);

        Persona[] personas = [Persona.Anonymous, Persona.Admin, Persona.KeyLeader, Persona.BuildingMember];
        var clients = new Dictionary<Persona, HttpClient>();
        foreach (var persona in personas) clients[persona] = await Personas.ClientAsync(factory, persona);

        var failures = new List<string>();
        var requests = 0;
        foreach (var endpoint in unsafeEndpoints)
        {
            var url = EndpointCatalog.Fill(endpoint.Template, values);
            var anyRefusedForToken = false;
            foreach (var persona in personas)
            {
                // A complete-looking form, cookies included — only the token is missing.
                using var request = new HttpRequestMessage(endpoint.Method == "ANY" ? HttpMethod.Post : endpoint.HttpMethod, url)
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "leader@example.org", ["Password"] = TestClient.DemoPassword, ["Title"] = "x", ["confirm"] = "true" }),
                };
                using var response = await clients[persona].SendAsync(request);
                requests++;
                var status = (int)response.StatusCode;
                if (status == 400) { anyRefusedForToken = true; continue; }
                // Refused before the token is even looked at: not signed in (→ sign-in) or not allowed (403).
                var refusedEarlier = status == 403 || (status == 302 && response.Headers.Location?.AbsolutePath == "/account/sign-in" && persona == Persona.Anonymous);
                if (!refusedEarlier) failures.Add($"{endpoint.Method} {url} as {persona}: {status}");
            }
            if (!anyRefusedForToken) failures.Add($"{endpoint.Key}: no person got 400 for the missing token");
        }
        output.WriteLine($"Antiforgery: {unsafeEndpoints.Count} unsafe endpoints × {personas.Length} people = {requests} token-less requests, all refused.");
        Assert.True(failures.Count == 0, "Accepted without an antiforgery token:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Pages_static_files_and_error_pages_carry_the_security_headers()
    {
        var anonymous = factory.CreateBrowserClient();
        var leader = await factory.SignedInAsync("leader@example.org");
        var responses = new[]
        {
            await anonymous.GetAsync("/account/sign-in"),
            await anonymous.GetAsync("/css/site.css"),
            await anonymous.GetAsync("/no-such-page"),
            await leader.GetAsync("/notifications"),
        };
        foreach (var response in responses)
        {
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal));
            Assert.DoesNotContain("unsafe-inline", scriptSrc);
            Assert.DoesNotContain("unsafe-eval", scriptSrc);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("object-src 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single());
        }
        Assert.Equal(HttpStatusCode.NotFound, responses[2].StatusCode);
        // A signed-in person's pages are never stored by caches.
        Assert.True(responses[3].Headers.CacheControl?.NoStore);
    }

    private const string PrintOnlyMarker = "@* Rendered only for the PDF printer (PagePdfWriter), never served to a browser. *@";

    /// <summary>The board report's charts page: loaded only by the printing browser to draw the charts as pictures.</summary>
    private const string PictureOnlyMarker = "@* Rendered only for the printing browser to draw as pictures (IPdfRenderer.CaptureAsync), never served to a browser. *@";

    [Fact]

    public void Views_have_no_inline_scripts_event_handlers_or_style_attributes()
    {
        var root = RepositoryRoot();
        var views = Directory.GetFiles(Path.Combine(root, "src", "MicipPlanner.Web"), "*.cshtml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).ToList();
        Assert.NotEmpty(views);
        var problems = new List<string>();
        foreach (var view in views)
        {
            var text = File.ReadAllText(view);
            foreach (Match m in InlineScript().Matches(text)) problems.Add($"{Path.GetFileName(view)}: inline <script> “{m.Value}”");
            foreach (Match m in EventHandler().Matches(text)) problems.Add($"{Path.GetFileName(view)}: event handler attribute “{m.Value.Trim()}”");
            foreach (Match m in StyleAttribute().Matches(text))
            {
                // The handout document and the board report inline their print styles only in the copy handed to the PDF
                // printer, which is never served over HTTP; the print view served to browsers links print.css.
                if (Path.GetFileName(view) is "Document.cshtml" or "Report.cshtml" && text.Contains("@if (Model.ForPdf)") && m.Value.StartsWith("<style", StringComparison.Ordinal)) continue;
                // Likewise the desk's and network page's print views: only PagePdfWriter renders them, for the printer.
                if ((text.Contains(PrintOnlyMarker, StringComparison.Ordinal) || text.Contains(PictureOnlyMarker, StringComparison.Ordinal))
                    && m.Value.StartsWith("<style", StringComparison.Ordinal)) continue;
                problems.Add($"{Path.GetFileName(view)}: style attribute “{m.Value.Trim()}”");
            }
            if (text.Contains("javascript:", StringComparison.OrdinalIgnoreCase)) problems.Add($"{Path.GetFileName(view)}: javascript: URL");
        }
        Assert.True(problems.Count == 0, "The Content-Security-Policy blocks these; move the code to wwwroot/js or the styles to wwwroot/css:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public async Task Authentication_and_antiforgery_cookies_are_secure_and_http_only()
    {
        var client = factory.CreateBrowserClient();
        var page = await client.GetAsync("/account/sign-in");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("micip.af=", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);

        var signIn = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "member@example.org", ["Password"] = TestClient.DemoPassword });
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("micip.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        const string email = "lockout.test@example.org";
        await CreateUserAsync(email);
        var client = factory.CreateBrowserClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = $"Wrong-Pass-{attempt}-2026" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        var right = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked for 15 minutes", await right.Content.ReadAsStringAsync());
        var lockoutEnd = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync());
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
    }

    [Fact]
    public async Task Authenticator_app_two_factor_sign_in_with_recovery_codes()
    {
        const string email = "two.factor@example.org";
        await CreateUserAsync(email);
        var first = await factory.SignedInAsync(email);
        var setup = await first.GetHtmlAsync("/account/security/authenticator");
        Assert.Contains("otpauth://totp/MICIP%20Planner:two.factor%40example.org?secret=", WebUtility.HtmlDecode(setup));
        Assert.Contains("data:image/png;base64,", setup);

        var key = await TwoFactorHelper.SharedKeyAsync(first);
        var wrongSetup = await first.PostFormAsync("/account/security/authenticator", new() { ["Code"] = "000000" == TwoFactorHelper.Code(key) ? "111111" : "000000" }, "/account/security/authenticator");
        Assert.Equal(HttpStatusCode.BadRequest, wrongSetup.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var (sameKey, recoveryCodes) = await TwoFactorHelper.EnableAsync(first);
        Assert.Equal(key, sameKey);
        Assert.Equal(10, recoveryCodes.Count);
        Assert.True(await factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync()));

        // The password alone now leads to the code step, not into the app.
        var second = factory.CreateBrowserClient();
        var password = await second.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/two-factor", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/notifications")).StatusCode);

        var wrong = await second.PostFormAsync("/account/two-factor", new() { ["Code"] = TwoFactorHelper.Code(key, DateTime.UtcNow.AddMinutes(-10)) }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());

        var right = await second.PostFormAsync("/account/two-factor", new() { ["Code"] = TwoFactorHelper.Code(key) }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/notifications")).StatusCode);

        // A recovery code works once.
        var third = factory.CreateBrowserClient();
        await third.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        var recovered = await third.PostFormAsync("/account/recovery-code", new() { ["Code"] = recoveryCodes[0] }, "/account/recovery-code");
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync("/notifications")).StatusCode);

        var fourth = factory.CreateBrowserClient();
        await fourth.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        var reused = await fourth.PostFormAsync("/account/recovery-code", new() { ["Code"] = recoveryCodes[0] }, "/account/recovery-code");
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await fourth.GetAsync("/notifications")).StatusCode);
    }

    [Fact]
    public async Task An_unexpected_error_shows_a_friendly_page_with_the_reference_that_is_in_the_log()
    {
        var client = factory.CreateBrowserClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        request.Headers.Add(MicipWebFactory.FailHeader, "1");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain("Deliberate failure", html); // no exception details for the visitor
        var reference = ReferencePattern().Match(html).Groups[1].Value;
        Assert.Matches("^[0-9a-f]{32}$", reference);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Error && e.Text.Contains($"CorrelationId={reference}") && e.Text.Contains("Deliberate failure"));
    }

    [Fact]
    public async Task Logs_never_contain_passwords_codes_or_tokens()
    {
        const string email = "log.check@example.org";
        const string wrongPassword = "Never-Log-This-Secret-42";
        await CreateUserAsync(email);
        var secrets = new List<string> { TestClient.DemoPassword, wrongPassword };

        var client = factory.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        secrets.Add(token);
        await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = wrongPassword });
        var signedIn = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        secrets.AddRange(signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0].Split('=', 2)[1]).Where(v => v.Length > 20));

        var (key, recoveryCodes) = await TwoFactorHelper.EnableAsync(client);
        secrets.Add(key);
        secrets.AddRange(recoveryCodes);
        var again = factory.CreateBrowserClient();
        await again.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = TestClient.DemoPassword });
        var code = TwoFactorHelper.Code(key);
        await again.PostFormAsync("/account/two-factor", new() { ["Code"] = "999999" == code ? "888888" : "999999" }, "/account/two-factor");
        await again.PostFormAsync("/account/two-factor", new() { ["Code"] = code }, "/account/two-factor");
        await again.PostUnofferedAsync("/account/recovery-code", new() { ["Code"] = recoveryCodes[1] }, "/account/sign-in");

        // An invitation: its token travels in the link, and the invitee's new password in the form.
        var ids = await DemoIds.LoadAsync(factory);
        var (_, invitationToken) = await DistrictRouteValues.NewInvitationAsync(factory, ids.Lakeshore);
        const string inviteePassword = "Invitee-Secret-Pass-77";
        secrets.AddRange([invitationToken, inviteePassword]);
        var invitee = factory.CreateBrowserClient();
        await invitee.PostFormAsync("/invitations/open", new() { ["Token"] = invitationToken });
        var joined = await invitee.PostFormAsync("/invitations/accept",
            new() { ["DisplayName"] = "Log Check Invitee", ["Password"] = inviteePassword, ["ConfirmPassword"] = inviteePassword });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, joined.StatusCode);

        var logs = factory.Logs.AllText();
        Assert.NotEmpty(factory.Logs.Entries);
        Assert.Contains("/account/sign-in", logs); // requests were logged, so the check below means something
        foreach (var secret in secrets)
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"A secret ({secret[..Math.Min(4, secret.Length)]}…) appears in the logs: " + string.Join("\n", factory.Logs.Entries.Where(e => e.Text.Contains(secret)).Select(e => e.Category + " " + e.Level).Distinct()));
        output.WriteLine($"{factory.Logs.Entries.Count} log entries checked against {secrets.Count} secrets.");
    }

    private async Task CreateUserAsync(string email)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Person", CreatedAt = DateTimeOffset.UtcNow }, TestClient.DemoPassword);
        Assert.True(result.Succeeded);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MicipPlanner.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\s on[a-z]+\s*=\s*[""']", RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"(<style\b|\sstyle\s*=\s*[""'])", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"Reference: <code>([^<]+)</code>")]
    private static partial Regex ReferencePattern();
}
