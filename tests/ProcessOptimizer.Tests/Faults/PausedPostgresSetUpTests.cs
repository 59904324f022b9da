using Npgsql;
using ProcessOptimizer.Storage.Tests;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A test's PostgreSQL that hangs (SIGSTOP) while a set-up creates its database fails the set-up with what hung,
/// never holds the run: also on a pooled connection, which opens without a word to the server and so leaves only
/// the statement to wait. The deadline is short to keep the test quick; the set-ups use <see cref="ServerStep.Deadline"/>.
/// </summary>
public sealed class PausedPostgresSetUpTests
{
    [Fact]
    public async Task CreateDatabase_ServerPausedWithAPooledConnection_FailsNamingServerAddressAndStep()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        // Npgsql's command timeout is left long, so that the step's deadline is what ends the wait.
        var connection = cluster.Connection + ";Command Timeout=600";
        await ServerStep.ExecuteAsync(connection, "SELECT 1");
        cluster.Pause();
        try
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => ServerStep.ExecuteAsync(connection, "CREATE DATABASE paused", TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(90)));

            Assert.Contains("PostgreSQL", error.Message);
            Assert.Contains($"127.0.0.1:{cluster.Port}", error.Message);
            Assert.Contains("CREATE DATABASE paused", error.Message);
        }
        finally
        {
            cluster.Resume();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
