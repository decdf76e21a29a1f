using System.Net;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.TestIdentityProvider;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>What a browser test class needs of its server; the defaults are the app as it runs, demo districts seeded.</summary>
public sealed record MicipAppOptions
{
    /// <summary>Configuration keys set on top of the test defaults.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>A real OpenID Connect provider (with its demo identities) runs beside the app, and the app signs in through it.</summary>
    public bool OidcProvider { get; init; }
}

/// <summary>
/// The one place browser tests build the app's host: the real app on Kestrel at 127.0.0.1 on a free port, with its own
/// fresh SQLite database (migrated on start, demo districts seeded), deleted when the fixture is disposed. One instance
/// serves all tests of a class; a class that needs another configuration uses a named fixture from <c>Fixtures.cs</c>.
/// </summary>
public class MicipApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OidcProviderName = "Lakeshore ISD";

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "micip-browser-tests", Guid.NewGuid().ToString("N"));
    private TestIdentityProvider.TestIdentityProvider? _provider;

    // xunit builds class fixtures through their single public constructor, so the options come in through derived types.
    public MicipApp() : this(new MicipAppOptions()) { }

    protected MicipApp(MicipAppOptions options)
    {
        Options = options;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public MicipAppOptions Options { get; }

    /// <summary>Root address, e.g. http://127.0.0.1:40123 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public DemoIds Demo { get; private set; } = null!;

    /// <summary>The provider beside the app, when <see cref="MicipAppOptions.OidcProvider"/> is on.</summary>
    public TestIdentityProvider.TestIdentityProvider Provider => _provider ?? throw new InvalidOperationException("No OpenID Connect provider; set OidcProvider.");

    /// <summary>Signed-in browser state per account, so journeys that do not test signing in skip the form.</summary>
    internal Dictionary<string, string> StorageStates { get; } = new(StringComparer.OrdinalIgnoreCase);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataFolder", dataFolder);
        builder.UseSetting("Demo:Seed", "true");
        // Plain HTTP on loopback: the browser tests exercise pages, not transport security.
        builder.UseSetting("Security:RequireHttps", "false");
        // The app runs from its build output, not a published folder: wwwroot and the build's Brotli and gzip copies are found
        // through the static web assets manifest (Development turns that on by itself), and they are answered with a published
        // app's cache headers rather than Development's "no-cache" for every file.
        builder.UseStaticWebAssets();
        builder.UseSetting("ReloadStaticAssetsAtRuntime", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        if (Options.OidcProvider)
        {
            builder.UseSetting("Authentication:Oidc:Authority", Provider.Issuer);
            builder.UseSetting("Authentication:Oidc:ClientId", Provider.ClientId);
            builder.UseSetting("Authentication:Oidc:ClientSecret", Provider.ClientSecret);
            builder.UseSetting("Authentication:Oidc:DisplayName", OidcProviderName);
        }
        foreach (var (key, value) in Options.Settings) builder.UseSetting(key, value);
    }

    public async Task InitializeAsync()
    {
        if (Options.OidcProvider)
        {
            var options = new TestIdentityProviderOptions();
            options.Identities.AddRange(TestIdentityProvider.TestIdentityProvider.DemoIdentities);
            _provider = await TestIdentityProvider.TestIdentityProvider.StartAsync(options);
        }
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        Demo = await WithDbAsync(DemoIds.LoadAsync);
        if (_provider is not null)
        {
            _provider.AllowRedirectUri(BaseUrl + "/signin-oidc");
            // Warm the provider once, so the first journey's click does not also wait for its first request.
            using var http = new HttpClient();
            await http.GetStringAsync(_provider.Issuer + ".well-known/openid-configuration");
        }
    }

    public string Url(string path) => BaseUrl + path;

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null) await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Ids of the seeded demo data, looked up by name.</summary>
public sealed record DemoIds(int Lakeshore, int Cycle, int LastCycle, int PineRidge, int[] Buildings, int GroupA, int GroupB)
{
    public static async Task<DemoIds> LoadAsync(AppDbContext db)
    {
        var lakeshore = await db.Districts.SingleAsync(d => d.Name == "Lakeshore Public Schools");
        var pineRidge = await db.Districts.SingleAsync(d => d.Name == "Pine Ridge Community Schools");
        var cycles = await db.Cycles.Where(c => c.DistrictId == lakeshore.Id).OrderByDescending(c => c.StartYear).Select(c => c.Id).ToListAsync();
        var buildings = await db.Buildings.Where(b => b.DistrictId == lakeshore.Id).OrderBy(b => b.Code).Select(b => b.Id).ToArrayAsync();
        var groups = await db.RatingGroups.Where(g => g.CycleId == cycles[0]).ToDictionaryAsync(g => g.Name, g => g.Id);
        return new DemoIds(lakeshore.Id, cycles[0], cycles[1], pineRidge.Id, buildings, groups["Group A"], groups["Group B"]);
    }

    /// <summary>Root of the current Lakeshore cycle's pages.</summary>
    public string CycleRoot => $"/districts/{Lakeshore}/cycles/{Cycle}";
}
