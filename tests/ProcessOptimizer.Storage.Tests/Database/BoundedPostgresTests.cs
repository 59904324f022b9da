using Npgsql;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// Issue 14 (the seventh fault round's note on Quartz): what connects to PostgreSQL on its own (the cluster's
/// scheduler) took the plain connection string, so Npgsql's defaults held its calls on a hung server: a 15 s connect
/// and a 30 s command timeout, and a 2 s wait for each cancel's answer. It gets the service's own bounds.
/// </summary>
public sealed class BoundedPostgresTests
{
    private static readonly DatabaseOptions Options = new() { Resilience = new ResilienceOptions { Timeout = TimeSpan.FromSeconds(7) }, MaxPoolSize = 11 };

    [Fact]
    public void BoundedPostgres_PlainConnectionString_TakesTheCallTimeoutThePoolAndAShortCancel()
    {
        var bounded = new NpgsqlConnectionStringBuilder(ProcessDatabase.BoundedPostgres("Host=db.example;Username=po;Database=plant", Options));

        Assert.Equal(7, bounded.Timeout);
        Assert.Equal(7, bounded.CommandTimeout);
        Assert.Equal(500, bounded.CancellationTimeout);
        Assert.Equal(11, bounded.MaxPoolSize);
        Assert.Equal("db.example", bounded.Host);
        Assert.Equal("plant", bounded.Database);
    }

    [Fact]
    public void BoundedPostgres_BoundsTheConnectionStringSets_KeepsThem()
    {
        var bounded = new NpgsqlConnectionStringBuilder(ProcessDatabase.BoundedPostgres("Host=db.example;Timeout=3;Command Timeout=40;Cancellation Timeout=100;Maximum Pool Size=5", Options));

        Assert.Equal(3, bounded.Timeout);
        Assert.Equal(40, bounded.CommandTimeout);
        Assert.Equal(100, bounded.CancellationTimeout);
        Assert.Equal(5, bounded.MaxPoolSize);
    }
}
