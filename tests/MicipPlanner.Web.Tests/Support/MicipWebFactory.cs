using MicipPlanner.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// Hosts the real app on its own SQLite database file (migrated on start, demo data seeded),
/// deleted when the factory is disposed.
/// </summary>
public class MicipWebFactory : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "micip-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Seed the demo districts (default). Tests of first run turn it off.</summary>
    protected virtual bool SeedDemo => true;

    /// <summary>Extra configuration for a derived factory.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataFolder", DataFolder);
        builder.UseSetting("Demo:Seed", SeedDemo ? "true" : "false");
        // Tests sign in far more often than people do; the rate-limit test sets its own low limit.
        builder.UseSetting("Security:RateLimitPermits", "100000");
        foreach (var (key, value) in ExtraSettings) builder.UseSetting(key, value);
    }

    /// <summary>A scope for reading or arranging data directly in the test's database.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task WithDbAsync(Func<AppDbContext, Task> action)
    {
        await using var scope = Scope();
        await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        // HTTPS, as in production: outside Development the cookies are Secure and are not sent over plain HTTP.
        BaseAddress = new Uri("https://localhost"),
    });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
