using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Admin;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

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
        await PrepareAsync(scope.ServiceProvider, configuration, cancellationToken);

        var seedDemo = configuration.GetValue<bool>("Demo:Seed")
            || (environment.IsDevelopment() && configuration.GetValue("Demo:SeedInDevelopment", true));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (seedDemo && !await db.Users.AnyAsync(cancellationToken))
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
            // Never a password in the logs, not even the demo one: the README lists the demo accounts.
            logger.LogInformation("Demo districts created with {AccountCount} demo accounts (see the README)", DemoSeeder.Accounts.Length);
        }
        if (seedDemo)
        {
            // The demo always has a workshop to join; its code is printed here for whoever starts the app.
            var hours = configuration.GetValue("Workshop:ExpiryHours", Domain.Workshops.WorkshopRules.DefaultLifetime.TotalHours);
            var code = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().EnsureRunningWorkshopAsync(TimeSpan.FromHours(hours), cancellationToken);
            if (code is not null)
                logger.LogInformation("Demo workshop running in Lakeshore: open /join and type the code {WorkshopCode}", Domain.Workshops.WorkshopCodes.Display(code));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task PrepareAsync(IServiceProvider scoped, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.MigrateOnStartup)
            await DatabaseSetup.MigrateAsync(scoped.GetRequiredService<AppDbContext>(), cancellationToken);
        var roles = scoped.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in AppRoles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            try
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
            catch (DbUpdateException)
            {
                // Another instance starting on the same empty database inserted it between the check and the insert
                // (the unique name refused ours): that is the role we wanted. Anything else still stops the start.
                scoped.GetRequiredService<AppDbContext>().ChangeTracker.Clear();
                if (!await roles.RoleExistsAsync(role)) throw;
            }
        }
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
