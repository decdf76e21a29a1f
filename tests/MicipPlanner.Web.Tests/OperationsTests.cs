using System.Net;
using System.Net.Sockets;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Health;
using MicipPlanner.Web.Startup;
using MicipPlanner.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MicipPlanner.Web.Tests;

/// <summary>What an operator running several instances relies on: probes, telemetry, trace ids in logs, shutdown.</summary>
public sealed class OperationsTests(OperationsFactory factory) : IClassFixture<OperationsFactory>
{
    [Fact]
    public async Task Live_and_ready_answer_200_on_a_well_server_and_healthz_keeps_its_report()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);

        var ready = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"database\"", body);
        Assert.DoesNotContain("\"pdf\"", body); // PDFs are optional: a server without a browser still takes requests

        var overall = await client.GetStringAsync("/healthz");
        Assert.Contains("\"database\"", overall);
        Assert.Contains("\"pdf\"", overall);
    }

    [Fact]
    public async Task Ready_answers_503_when_the_database_cannot_be_opened_and_live_still_answers_200()
    {
        await using var server = MicipWebFactory.With(new() { SeedDemo = false });
        var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        var connectionString = await server.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        string file;
        if (PostgresTestDatabases.Enabled)
        {
            // The server's database is dropped, so no connection can open it again.
            file = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
            PostgresTestDatabases.DropDatabase(connectionString);
        }
        else
        {
            // The database file goes away and a folder takes its name, so no connection can open it again.
            file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            using (var pooled = new SqliteConnection(connectionString)) SqliteConnection.ClearPool(pooled);
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
            Directory.CreateDirectory(file);
        }

        var ready = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"Unhealthy\"", body);
        Assert.Contains("The database cannot be reached.", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("SQLite Error", body);
        Assert.DoesNotContain(file, body);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Ready_answers_503_while_a_migration_is_pending()
    {
        await using var server = MicipWebFactory.With(new()
        {
            SeedDemo = false,
            Settings = new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" },
        });
        // A database left by the release before the last migration, started by a server that does not migrate.
        if (PostgresTestDatabases.Enabled)
            // The server's database is a copy of the fully migrated template: the last migration is taken back out.
            await server.WithDbAsync(db => db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().ToList()[^2]));
        else
            await MigrateNewSqliteFileToTheMigrationBeforeLastAsync(server);

        var client = server.CreateClient();
        var ready = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("1 migration(s) not applied.", await ready.Content.ReadAsStringAsync());
        // The overall report still answers 200 (as before): the instance serves, it is only not ready for traffic.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
    }

    private static async Task MigrateNewSqliteFileToTheMigrationBeforeLastAsync(MicipWebFactory server)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataFolder"] = server.DataFolder,
        }).Build();
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseSetup.ConfigureProvider(options, configuration, server.DataFolder);
        Directory.CreateDirectory(server.DataFolder);
        await using (var db = new AppDbContext(options.Options))
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2]);
        }
    }

    [Fact]
    public async Task Instances_starting_together_on_an_empty_database_all_start_and_make_each_role_and_the_first_key_once()
    {
        await using var server = MicipWebFactory.With(new() { SeedDemo = false });
        var noMigration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }).Build();
        for (var round = 0; round < 3; round++)
        {
            await server.WithDbAsync(db => db.Roles.ExecuteDeleteAsync());
            await server.WithDbAsync(db => db.DataProtectionKeys.ExecuteDeleteAsync());
            // Six instances' start-up work at the same moment: each checks for the roles and the data-protection key,
            // finds none and would make them.
            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                await using var scope = server.Scope();
                await DatabaseInitializer.PrepareAsync(scope.ServiceProvider, noMigration, CancellationToken.None);
            })));
            var names = await server.WithDbAsync(db => db.Roles.Select(r => r.Name!).ToListAsync());
            Assert.Equal(AppRoles.All.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            // One key for every instance: a second first key would make instances refuse each other's cookies.
            Assert.Equal(1, await server.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
        }
    }

    [Fact]
    public async Task Readiness_fails_once_the_server_is_stopping()
    {
        var lifetime = new StoppingLifetime();
        var check = new ShutdownHealthCheck(lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        await lifetime.Stopping.CancelAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public void Shutdown_waits_as_long_as_the_setting_says()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void Without_a_collector_no_telemetry_is_set_up()
    {
        // Nothing listens to the framework's activity sources or meters: no tracer or meter provider, no exporter.
        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task With_a_collector_requests_are_traced_and_exported_over_otlp()
    {
        using var collector = new OtlpCollector();
        await using var server = MicipWebFactory.With(new()
        {
            SeedDemo = false,
            Settings = new Dictionary<string, string?>
            {
                ["Telemetry:OtlpEndpoint"] = collector.Address,
                ["Telemetry:OtlpProtocol"] = "http/protobuf",
            },
        });
        var tracer = server.Services.GetService<TracerProvider>();
        Assert.NotNull(tracer);
        Assert.NotNull(server.Services.GetService<MeterProvider>());

        // A new server (no account yet) offers its first-run page.
        Assert.Equal(HttpStatusCode.OK, (await server.CreateBrowserClient().GetAsync("/setup")).StatusCode);
        // The request's span ends just after its answer reaches the client, and other tests' spans may be exported with it.
        var payload = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !payload.Contains("/setup", StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            Assert.True(tracer.ForceFlush(10_000));
            payload = string.Concat(collector.Received.Where(r => r.Path == "/v1/traces").Select(e => System.Text.Encoding.UTF8.GetString(e.Body)));
        }
        Assert.Contains("micip-planner", payload); // service.name
        Assert.Contains("/setup", payload); // the request's span (its url.path)
    }

    [Fact]
    public async Task A_log_line_written_during_a_request_carries_its_trace_id()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var parentSpan = System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/setup");
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpan}-01");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateBrowserClient().SendAsync(request)).StatusCode);

        var lines = factory.Logs.Entries.Where(e => e.Text.Contains("AccountController.Setup", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains($"TraceId={traceId}", line.Text));
        Assert.All(lines, line => Assert.Contains("SpanId=", line.Text));
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Stopping { get; } = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => Stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopping.Cancel();
    }

    /// <summary>Stands in for an OpenTelemetry collector on 127.0.0.1: keeps every OTLP/HTTP export it receives.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtlpCollector()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Address = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
                probe.Stop();
            }
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }
        public System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)> Received { get; } = new();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (HttpListenerException) { return; }
                catch (ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
