using System.Net;
using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.BrowserTests.Support;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port, with its own fresh SQLite database
/// (migrated on start, demo districts seeded), deleted when the fixture is disposed.
/// One instance serves all tests of a class.
/// </summary>
public class MicipApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "micip-browser-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Root address, e.g. http://127.0.0.1:40123 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public DemoIds Demo { get; private set; } = null!;

    /// <summary>Signed-in browser state per account, so journeys that do not test signing in skip the form.</summary>
    internal Dictionary<string, string> StorageStates { get; } = new(StringComparer.OrdinalIgnoreCase);

    public MicipApp() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataFolder", dataFolder);
        builder.UseSetting("Demo:Seed", "true");
        // Plain HTTP on loopback: the browser tests exercise pages, not transport security.
        builder.UseSetting("Security:RequireHttps", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        foreach (var (key, value) in ExtraSettings) builder.UseSetting(key, value);
    }

    /// <summary>Settings of a derived fixture (read when the server starts, after <see cref="BeforeStartAsync"/>).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    protected virtual ValueTask DisposeExtrasAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        Demo = await WithDbAsync(DemoIds.LoadAsync);
        await AfterStartAsync();
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
        await DisposeExtrasAsync();
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
