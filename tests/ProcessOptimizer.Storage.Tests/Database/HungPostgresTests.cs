using System.Diagnostics;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// Issue 14 (N4 of the seventh fault round). Npgsql cancels a timed-out statement by sending the server a cancel request over a new connection, and it
/// does so synchronously, on the thread that cancels or that reads: a stopped server answers neither, so that thread is
/// held for the driver's connect timeout. A write begun at a pause then ended four timeouts later: the guard waited for
/// the driver, took the late end for a pause of the service, and tried again.
/// </summary>
/// <remarks>
/// Runs alone: its bound on when a call ends is the guard's timeout plus a second, and the timeout's timer runs on the
/// thread pool, which other classes' synchronous SQLite writes held long enough for the guard to take the late end
/// for a pause of the process and try again (one call ended after 7 s in a CI run).
/// </remarks>
[Collection(HungDependencyCollection.Name)]
public sealed class HungPostgresTests : IAsyncLifetime
{
    private const int Calls = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private DatabaseUnderTest _under = null!;
    private PausableRelay _relay = null!;

    public async Task InitializeAsync()
    {
        _under = await DatabaseUnderTest.CreateAsync(DatabaseKind.Postgres);
        _relay = new PausableRelay(_under.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _relay.Resume();
        await _relay.DisposeAsync();
        await _under.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_ServerStopsAnsweringMidStatement_FailsAtItsTimeoutNotWhenTheDriversCancellationEnds()
    {
        var database = ProcessDatabase.Create(DatabaseKind.Postgres, _relay.ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = Timeout, MaxRetries = 0 } });

        // As many pooled connections as calls below, each opened and used once, so that each call sends its
        // statement at once on a connection of its own.
        await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => database.RunAsync("warm the pool", (c, t, ct) => ProcessDatabase.ExecuteAsync(c, t, "SELECT pg_sleep(0.5)", ct), CancellationToken.None)));

        _relay.Pause();
        var clock = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, Calls).Select(async _ =>
        {
            await Assert.ThrowsAsync<DatabaseException>(() => database.RunAsync("answer while hung", (c, t, ct) => ProcessDatabase.ExecuteAsync(c, t, "SELECT 1", ct), CancellationToken.None));
            return clock.Elapsed;
        }).ToList();

        var ended = await Task.WhenAll(calls);

        Assert.All(ended, e => Assert.True(e < Timeout + TimeSpan.FromSeconds(1.5), $"a call to the stopped server ended after {e.TotalSeconds:F2} s, with a {Timeout.TotalSeconds:G} s timeout"));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HungDependencyCollection
{
    public const string Name = "hung dependency";
}
