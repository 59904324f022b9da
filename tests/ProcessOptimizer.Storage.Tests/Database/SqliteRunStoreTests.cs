using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class SqliteRunStoreTests() : RunStoreTests(DatabaseKind.Sqlite)
{
    // A group that fails part-way gives its connection back to the driver's pool: it must come back outside the
    // group's transaction, or the next user of that connection would write into it, and another writer would find the
    // file locked.
    [Fact]
    public async Task SaveAll_FailureMidGroupOnAPooledConnection_LeavesNoTransactionOpen()
    {
        var pooled = ConnectionString.Replace("Pooling=False", "Pooling=True", StringComparison.Ordinal);
        var store = new SqlRunStore(ProcessDatabase.Create(DatabaseKind.Sqlite, pooled));
        await store.SaveAsync(Run(Start(0), 1), CancellationToken.None);
        var bad = Run(Start(1), 0) with { Recommendations = [new Recommendation("z", 1, 2, 1, "u"), new Recommendation("z", 1, 2, 1, "u")] };

        await Assert.ThrowsAsync<DatabaseException>(() => store.SaveAllAsync([Run(Start(2), 2), bad], CancellationToken.None));
        await using (var other = new SqliteConnection(pooled + ";Default Timeout=1"))
        {
            await other.OpenAsync();
            await using var write = new SqliteCommand("BEGIN IMMEDIATE; DELETE FROM optimization_runs WHERE 0; COMMIT", other);
            await write.ExecuteNonQueryAsync();
        }

        var next = await store.SaveAsync(Run(Start(3), 4), CancellationToken.None);

        var stored = await new SqlRunStore(Reopen()).RangeAsync(Start(-1), Start(10), 100, null, CancellationToken.None);
        Assert.Equal([Start(3), Start(0)], stored.Select(r => r.DataTimestamp));
        Assert.Equal(4, (await store.GetAsync(next.Id, CancellationToken.None))!.Recommendations.Count);
        SqliteConnection.ClearAllPools();
    }

    private static DateTimeOffset Start(int minutes) => new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes);
}
