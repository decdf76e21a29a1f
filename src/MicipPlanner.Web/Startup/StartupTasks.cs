using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Admin;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// Prepares the database before the server listens: migrations, roles, and the demo districts
/// on an empty database in Development (or when asked with --seed-demo / Demo:Seed).
/// </summary>
public sealed class DatabaseInitializer(IServiceProvider services, IConfiguration configuration, IWebHostEnvironment environment,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await StartupLock.RunAsync(db, () => PrepareAndSeedAsync(scope.ServiceProvider, db, cancellationToken), cancellationToken);
    }

    private async Task PrepareAndSeedAsync(IServiceProvider scoped, AppDbContext db, CancellationToken cancellationToken)
    {
        await PrepareUnlockedAsync(scoped, configuration, cancellationToken);

        var seedDemo = configuration.GetValue<bool>("Demo:Seed")
            || (environment.IsDevelopment() && configuration.GetValue("Demo:SeedInDevelopment", true));
        if (seedDemo && !await db.Users.AnyAsync(cancellationToken))
        {
            await scoped.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
            // Never a password in the logs, not even the demo one: the README lists the demo accounts.
            logger.LogInformation("Demo districts created with {AccountCount} demo accounts (see the README)", DemoSeeder.Accounts.Length);
        }
        if (seedDemo)
        {
            // The demo always has a workshop to join; its code is printed here for whoever starts the app.
            var hours = configuration.GetValue("Workshop:ExpiryHours", Domain.Workshops.WorkshopRules.DefaultLifetime.TotalHours);
            var code = await scoped.GetRequiredService<DemoSeeder>().EnsureRunningWorkshopAsync(TimeSpan.FromHours(hours), cancellationToken);
            if (code is not null)
                logger.LogInformation("Demo workshop running in Lakeshore: open /join and type the code {WorkshopCode}", Domain.Workshops.WorkshopCodes.Display(code));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Migrations, roles and the first data-protection key, one instance at a time.</summary>
    public static Task PrepareAsync(IServiceProvider scoped, IConfiguration configuration, CancellationToken cancellationToken) =>
        StartupLock.RunAsync(scoped.GetRequiredService<AppDbContext>(),
            () => PrepareUnlockedAsync(scoped, configuration, cancellationToken), cancellationToken);

    private static async Task PrepareUnlockedAsync(IServiceProvider scoped, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.MigrateOnStartup)
            await DatabaseSetup.MigrateAsync(scoped.GetRequiredService<AppDbContext>(), cancellationToken);
        var roles = scoped.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in AppRoles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
        EnsureDataProtectionKey(scoped);
    }

    /// <summary>
    /// Creates the first data-protection key (cookies, antiforgery tokens) now, under the start-up lock, rather than at
    /// each instance's first request: two instances that each made their own first key would each refuse the other's
    /// cookies until they next read the key ring, a day later.
    /// </summary>
    private static void EnsureDataProtectionKey(IServiceProvider scoped)
    {
        var keys = scoped.GetRequiredService<IKeyManager>();
        // The key ring reads the system clock, not the app's TimeProvider (which tests move).
        var now = DateTimeOffset.UtcNow;
        if (keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now)) return;
        var lifetime = scoped.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
        keys.CreateNewKey(now, now + lifetime);
    }
}

/// <summary>Tasks chosen on the command line that run instead of the web server.</summary>
public static class CommandLineTasks
{
    public static async Task<int?> RunAsync(WebApplication app, string[] args)
    {
        var import = Array.IndexOf(args, "--import-district");
        if (import >= 0)
        {
            using var importScope = app.Services.CreateScope();
            await DatabaseInitializer.PrepareAsync(importScope.ServiceProvider, app.Configuration, CancellationToken.None);
            return await Features.Export.ImportCommand.RunAsync(importScope.ServiceProvider,
                import + 1 < args.Length ? args[import + 1] : null, Console.Out, Console.Error);
        }
        var createAdmin = Array.IndexOf(args, "--create-admin");
        if (createAdmin < 0) return null;
        using var scope = app.Services.CreateScope();
        await DatabaseInitializer.PrepareAsync(scope.ServiceProvider, app.Configuration, CancellationToken.None);
        var email = createAdmin + 1 < args.Length ? args[createAdmin + 1] : null;
        return await AdminCommand.CreateAdminAsync(scope.ServiceProvider, email, Console.Out, Console.Error);
    }
}
