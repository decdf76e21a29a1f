using MicipPlanner.Infrastructure.Data;
using Npgsql;

namespace MicipPlanner.Web.Tests;

/// <summary>The app's defaults for a PostgreSQL connection, and that an operator's own settings win.</summary>
public sealed class PostgreSqlConnectionStringTests
{
    [Fact]
    public void Statements_are_prepared_automatically_and_connections_not_reset_unless_the_operator_says_otherwise()
    {
        var used = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgreSqlConnectionString("Host=db.example.org;Database=micip;Username=app"));

        Assert.Equal(64, used.MaxAutoPrepare);
        Assert.True(used.NoResetOnClose);
        Assert.Equal("db.example.org", used.Host);
        Assert.Equal("micip", used.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;max auto prepare=0;no reset on close=false")]
    public void An_operators_own_settings_are_kept(string configured)
    {
        var used = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgreSqlConnectionString(configured));

        Assert.Equal(0, used.MaxAutoPrepare);
        Assert.False(used.NoResetOnClose);
    }
}
