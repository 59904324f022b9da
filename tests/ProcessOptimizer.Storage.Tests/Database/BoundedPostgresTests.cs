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

    // Under the guard, the driver's own timeout must fire after the guard's timeout and after the driver's
    // cancellation of the call the guard gave up (a connect timeout, then the cancel's wait); fired with the guard's, its
    // synchronous cancel held pool threads on a stopped server and made the guard's timers late (HungPostgresTests).
    [Fact]
    public void Bounded_UnderTheGuard_DriversCommandTimeoutComesAfterTheGuardsAndTheCancellation()
    {
        var bounded = new NpgsqlConnectionStringBuilder(PostgresDialect.Bounded("Host=db.example;Username=po;Database=plant", Options, underGuard: true));

        Assert.Equal(7, bounded.Timeout);
        Assert.True(
            bounded.CommandTimeout > Options.Resilience.Timeout.TotalSeconds + bounded.Timeout + (bounded.CancellationTimeout / 1000.0),
            $"the driver's command timeout {bounded.CommandTimeout} s fires before the guard's 7 s timeout and the driver's cancellation of a given-up call");
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
