using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Email;
using MicipPlanner.TestIdentityProvider;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>
/// What a test needs of its server. The defaults are the app as it runs, on its own SQLite file with the demo
/// districts seeded; each option swaps one thing out.
/// </summary>
public sealed record MicipWebOptions
{
    /// <summary>Seed the demo districts (default). First-run and restore tests start empty.</summary>
    public bool SeedDemo { get; init; } = true;

    /// <summary>Configuration keys set on top of the test defaults, e.g. <c>["Pdf:BrowserPath"] = "/nonexistent"</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Keep every log entry (framework categories at Information) in <see cref="MicipWebFactory.Logs"/>.</summary>
    public bool CaptureLogs { get; init; }

    /// <summary>Any action throws when the request carries <see cref="MicipWebFactory.FailHeader"/>, to see the error page.</summary>
    public bool FailOnHeader { get; init; }

    /// <summary>E-mail goes to <see cref="MicipWebFactory.Mail"/> instead of an SMTP server.</summary>
    public bool CaptureMail { get; init; }

    /// <summary>Every SQL command is recorded per request in <see cref="MicipWebFactory.Counter"/>.</summary>
    public bool CountSqlCommands { get; init; }

    /// <summary>
    /// A real OpenID Connect provider runs beside the app (started by xunit through <see cref="IAsyncLifetime"/>) and
    /// the app's settings point at it, as they would at Entra ID.
    /// </summary>
    public bool OidcProvider { get; init; }
}

/// <summary>
/// The one place tests build the app's host: the real app on its own SQLite database file (migrated on start), or its
/// own PostgreSQL database when <see cref="PostgresTestDatabases.Variable"/> is set, configured by
/// <see cref="MicipWebOptions"/> and deleted when the factory is disposed. As a class fixture use this
/// type (defaults) or one of the named fixtures in <c>Fixtures.cs</c>; for a one-off server use <see cref="With"/>.
/// </summary>
public class MicipWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string FailHeader = "X-Test-Fail";
    public const string OidcProviderName = "Lakeshore ISD";

    private TestIdentityProvider.TestIdentityProvider? _provider;

    // xunit builds class fixtures through their single public constructor, so the options come in through derived types.
    public MicipWebFactory() : this(new MicipWebOptions()) { }

    protected MicipWebFactory(MicipWebOptions options) => Options = options;

    /// <summary>A server with these options, for a test that starts and disposes its own.</summary>
    public static MicipWebFactory With(MicipWebOptions options) => new Configured(options);

    public MicipWebOptions Options { get; }

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "micip-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The factory's PostgreSQL database, made when the host is built; null on SQLite.</summary>
    private string? _postgresDatabase;

    /// <summary>Log entries, when <see cref="MicipWebOptions.CaptureLogs"/> is on.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Mail sent, when <see cref="MicipWebOptions.CaptureMail"/> is on.</summary>
    public RecordingEmailSender Mail { get; } = new();

    /// <summary>SQL commands per request, when <see cref="MicipWebOptions.CountSqlCommands"/> is on.</summary>
    public SqlCommandCounter Counter => Options.CountSqlCommands
        ? Services.GetRequiredService<SqlCommandCounter>()
        : throw new InvalidOperationException("This factory does not count SQL commands; set CountSqlCommands.");

    /// <summary>The provider beside the app, when <see cref="MicipWebOptions.OidcProvider"/> is on.</summary>
    public TestIdentityProvider.TestIdentityProvider Provider => _provider ?? throw new InvalidOperationException("No OpenID Connect provider; set OidcProvider.");

    public async Task InitializeAsync()
    {
        if (!Options.OidcProvider) return;
        var options = new TestIdentityProviderOptions { ClientSecret = "oidc-test-secret-" + Guid.NewGuid().ToString("N") };
        options.RedirectUris.Add("https://localhost/signin-oidc");
        _provider = await TestIdentityProvider.TestIdentityProvider.StartAsync(options);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_provider is not null) await _provider.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (PostgresTestDatabases.Enabled)
        {
            _postgresDatabase ??= PostgresTestDatabases.CreateDatabase();
            builder.UseSetting("Database:Provider", DatabaseOptions.PostgreSql);
            builder.UseSetting("ConnectionStrings:PostgreSQL", _postgresDatabase);
            // Tests keep files of their own in the data folder, which on SQLite the app's start-up makes for its file.
            Directory.CreateDirectory(DataFolder);
        }
        else
        {
            builder.UseSetting("Database:Provider", DatabaseOptions.Sqlite);
        }
        builder.UseSetting("Database:DataFolder", DataFolder);
        builder.UseSetting("Demo:Seed", Options.SeedDemo ? "true" : "false");
        // Tests sign in far more often than people do; the rate-limit test sets its own low limit.
        builder.UseSetting("Security:RateLimitPermits", "100000");
        // Digests would go out on the real clock in the middle of other tests' mail; the digest tests run them themselves.
        builder.UseSetting("Digest:Enabled", "false");
        // The app runs from its build output, not a published folder: wwwroot and the build's Brotli and gzip copies are found
        // through the static web assets manifest (Development turns that on by itself), and they are answered with a published
        // app's cache headers rather than Development's "no-cache" for every file.
        builder.UseStaticWebAssets();
        builder.UseSetting("ReloadStaticAssetsAtRuntime", "false");
        if (Options.CaptureLogs)
        {
            builder.UseSetting("Logging:LogLevel:Default", "Information");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
        if (Options.OidcProvider)
        {
            builder.UseSetting("Authentication:Oidc:Authority", Provider.Issuer);
            builder.UseSetting("Authentication:Oidc:ClientId", Provider.ClientId);
            builder.UseSetting("Authentication:Oidc:ClientSecret", Provider.ClientSecret);
            builder.UseSetting("Authentication:Oidc:DisplayName", OidcProviderName);
        }
        foreach (var (key, value) in Options.Settings) builder.UseSetting(key, value);

        builder.ConfigureTestServices(services =>
        {
            if (Options.FailOnHeader)
                services.Configure<MvcOptions>(options => options.Filters.Add(new FailOnHeaderFilter()));
            if (Options.CaptureMail)
                services.AddSingleton<IEmailSender>(Mail);
            if (Options.CountSqlCommands)
            {
                services.AddSingleton<SqlCommandCounter>();
                services.ConfigureDbContext<AppDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<SqlCommandCounter>()));
            }
        });
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
            if (_postgresDatabase is not null) PostgresTestDatabases.DropDatabase(_postgresDatabase);
            _postgresDatabase = null;
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class Configured(MicipWebOptions options) : MicipWebFactory(options);

    private sealed class FailOnHeaderFilter : IActionFilter
    {
        public void OnActionExecuting(ActionExecutingContext context)
        {
            // The error page itself (re-executed for the same request) must still render.
            if (context.HttpContext.Request.Headers.ContainsKey(FailHeader) && !context.HttpContext.Request.Path.StartsWithSegments("/error"))
                throw new InvalidOperationException("Deliberate failure for the error-page test.");
        }

        public void OnActionExecuted(ActionExecutedContext context) { }
    }
}
