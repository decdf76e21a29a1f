using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace MicipPlanner.Migrations.PostgreSql;

/// <summary>Lets the EF tools build the context for this provider's migrations.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new Infrastructure.Data.DesignTimeFactory().CreateDbContext([.. args, "--Database:Provider", "PostgreSQL"]);
}
