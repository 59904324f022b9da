using Npgsql;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class PostgresProcessDatabaseTests() : ProcessDatabaseTests(DatabaseKind.Postgres)
{
    // The server terminates the writing backend while the run's recommendations are being inserted. The kill
    // waits until this database has a busy backend, rather than for a fixed time that a fast machine outruns,
    // and the store does not retry, so that the interrupted attempt itself is what the test sees.
    protected override async Task InterruptedSaveAsync(SqlRunStore store)
    {
        var once = ProcessDatabase.Create(DatabaseKind.Postgres, ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { MaxRetries = 0 } });
        var save = new SqlRunStore(once).SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 200_000), CancellationToken.None);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        await admin.OpenAsync();
        await using var kill = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND state <> 'idle' AND pid <> pg_backend_pid()", admin);
        kill.Parameters.AddWithValue("database", database!);
        while (!save.IsCompleted && Convert.ToInt64(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await Task.Delay(5);
        }

        await save;
    }
}
