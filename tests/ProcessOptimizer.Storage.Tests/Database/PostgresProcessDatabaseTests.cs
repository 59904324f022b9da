using Npgsql;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class PostgresProcessDatabaseTests() : ProcessDatabaseTests(DatabaseKind.Postgres)
{
    // The server terminates the writing backend while the run's recommendations are being inserted.
    protected override async Task InterruptedSaveAsync(SqlRunStore store)
    {
        var save = store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 50_000), CancellationToken.None);
        await Task.Delay(200);
        var database = new NpgsqlConnectionStringBuilder(TestServers.Postgres).Database;
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        await admin.OpenAsync();
        await using var kill = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname <> @admin AND datname LIKE 'po_test_%' AND state <> 'idle'", admin);
        kill.Parameters.AddWithValue("admin", database ?? "postgres");
        await kill.ExecuteScalarAsync();
        NpgsqlConnection.ClearAllPools();
        await save;
    }
}
