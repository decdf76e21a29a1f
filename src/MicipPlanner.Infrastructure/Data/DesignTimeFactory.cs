using MicipPlanner.Infrastructure.Data.Saving;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace MicipPlanner.Infrastructure.Data;

/// <summary>
/// Lets the EF tools build the context without starting the web app:
/// <c>dotnet ef … -- --Database:Provider SqlServer</c> (or PostgreSQL) picks the provider.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:SqlServer"] = "Server=localhost;Database=MicipPlanner;Trusted_Connection=True;TrustServerCertificate=True",
                ["ConnectionStrings:Sqlite"] = "Data Source=design-time.db",
                ["ConnectionStrings:PostgreSQL"] = "Host=localhost;Database=micip_planner",
            })
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseSetup.ConfigureProvider(options, configuration, Directory.GetCurrentDirectory());
        options.AddSavePipeline(new NoCurrentUser(), TimeProvider.System);
        return new AppDbContext(options.Options);
    }
}
