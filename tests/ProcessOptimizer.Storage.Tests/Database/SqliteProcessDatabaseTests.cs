using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class SqliteProcessDatabaseTests() : ProcessDatabaseTests(DatabaseKind.Sqlite)
{
    // SQLite has no server to kill: cancelling the write part-way has the same effect, a connection that
    // goes away inside an open transaction.
    // 200 000 recommendations take far longer than the 20 ms before the cancellation. The cancellation comes from a
    // thread of its own: a timer's cancellation runs on the thread pool, which other test classes' synchronous
    // SQLite writes can starve for longer than the whole save (it then ended without being interrupted).
    protected override async Task InterruptedSaveAsync(SqlRunStore store)
    {
        using var cancel = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(20);
            cancel.Cancel();
        }) { IsBackground = true };
        canceller.Start();
        try
        {
            await store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 200_000), cancel.Token);
        }
        finally
        {
            canceller.Join();
        }
    }

    [Fact]
    public async Task Migrate_File_UsesWriteAheadLogging()
    {
        await new SqlRunStore(Database).SaveAsync(Run(Start, RunOutcome.Success, 3), CancellationToken.None);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    // A second writer holding the file's lock is SQLite's form of a hung database. The driver waits for a busy
    // file up to its command timeout (30 s unless told otherwise), which the resilience timeout cannot cut short
    // because the wait is synchronous; so the driver is told the same limit.
    [Fact]
    public async Task Save_FileLockedByAnotherWriter_FailsWithinTheConfiguredTimeoutNotTheDrivers()
    {
        await new SqlRunStore(Database).SaveAsync(Run(Start, RunOutcome.Success, 3), CancellationToken.None);
        var limited = ProcessDatabase.Create(DatabaseKind.Sqlite, ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = TimeSpan.FromSeconds(1), MaxRetries = 0 } });
        await using var holder = new SqliteConnection(ConnectionString);
        await holder.OpenAsync();
        await using (var begin = new SqliteCommand("BEGIN EXCLUSIVE", holder))
        {
            await begin.ExecuteNonQueryAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Record.ExceptionAsync(() => new SqlRunStore(limited).SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 3), CancellationToken.None));

        Assert.NotNull(failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"a locked file held the call {clock.Elapsed.TotalSeconds:F1} s against a 1 s limit (the driver's own default is 30 s)");
    }

    // A file that was unwritable for a while (here made immutable, which binds root too) is opened read-only by
    // SQLite without complaint; the driver then keeps that connection in its pool, and every write through it fails
    // long after the file is writable again. Once mended, the next save must succeed.
    [Fact]
    public async Task Save_AfterTheFileWasReadOnlyForAWhile_SucceedsOnceItIsWritableAgain()
    {
        var pooled = ProcessDatabase.Create(DatabaseKind.Sqlite, ConnectionString.Replace("Pooling=False", "Pooling=True", StringComparison.Ordinal));
        var store = new SqlRunStore(pooled);
        await store.SaveAsync(Run(Start, RunOutcome.Success, 3), CancellationToken.None);
        var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        SqliteConnection.ClearAllPools();
        Attributes(file, "+i");
        try
        {
            // Reading while the file is immutable puts a read-only connection into the pool.
            Assert.NotNull(await store.LatestAsync(null, CancellationToken.None));
        }
        finally
        {
            Attributes(file, "-i");
        }

        var first = await Record.ExceptionAsync(() => store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 3), CancellationToken.None));
        var second = await Record.ExceptionAsync(() => store.SaveAsync(Run(Start.AddMinutes(2), RunOutcome.Success, 3), CancellationToken.None));

        Assert.True(first is null || second is null, $"the file is writable again, yet saves fail: {second?.Message}");
        Assert.Equal(Start.AddMinutes(2), (await store.LatestAsync(null, CancellationToken.None))!.DataTimestamp);
        SqliteConnection.ClearAllPools();
    }

    // Issue 19: SQLite's window query is prepared once on a connection kept for it. A kept statement must not read the
    // snapshot of its first read, nor hold one open between reads.
    [Fact]
    public async Task ReadWindow_RowsWrittenBetweenReadsOnAKeptStatement_AreSeenByTheNextRead()
    {
        await ImportAsync(Csv(10));
        var source = new SqlProcessDataSource(Database);
        using (var first = await source.ReadWindowAsync(["a"], 100, Start.AddDays(1), CancellationToken.None))
        {
            Assert.Equal(10, first.Count);
        }

        await ImportAsync(Csv(40));

        using var second = await source.ReadWindowAsync(["a"], 100, Start.AddDays(1), CancellationToken.None);
        Assert.Equal(40, second.Count);
        Assert.Equal(39, second.Value(39, 0));
        Assert.Equal(Start.AddMinutes(39), second.Timestamp(39));
    }

    // Reads at once each rent a statement and a window of their own: none sees another's rows.
    [Fact]
    public async Task ReadWindow_ManyReadsAtOnce_EachReadsItsOwnTime()
    {
        await ImportAsync(Csv(300));
        var source = new SqlProcessDataSource(Database);

        var reads = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var minute = 20 + (10 * i);
            using var window = await source.ReadWindowAsync(["a", "b"], 20, Start.AddMinutes(minute), CancellationToken.None);
            return (minute, first: window.Value(0, 0), last: window.Value(19, 1), time: window.Timestamp(19));
        })));

        foreach (var (minute, first, last, time) in reads)
        {
            Assert.Equal(minute - 19, first);
            Assert.Equal(2 * minute, last);
            Assert.Equal(Start.AddMinutes(minute), time);
        }
    }

    // A table a plant made itself may hold integers, numbers as text and untyped columns: read as the driver read them.
    [Fact]
    public async Task ReadWindow_IntegerTextAndUntypedCells_AreReadAsNumbersAndABlobIsRefused()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(
                """
                CREATE TABLE plant ("timestamp" TEXT PRIMARY KEY, i INTEGER, t TEXT, n);
                INSERT INTO plant VALUES ('2026-03-01T00:00:00.0000000Z', 7, '2.5', 1.25);
                INSERT INTO plant VALUES ('2026-03-01T00:01:00.0000000Z', NULL, '1,234.5', 3);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        var source = new SqlProcessDataSource(Database, "plant");
        using (var window = await source.ReadWindowAsync(["i", "t", "n"], 5, Start.AddHours(1), CancellationToken.None))
        {
            Assert.Equal(2, window.Count);
            Assert.Equal([7.0, 2.5, 1.25], [window.Value(0, 0)!.Value, window.Value(0, 1)!.Value, window.Value(0, 2)!.Value]);
            Assert.Null(window.Value(1, 0));
            Assert.Equal(1234.5, window.Value(1, 1));
            Assert.Equal(3.0, window.Value(1, 2));
            Assert.Equal(Start.AddMinutes(1), window.Timestamp(1));
        }

        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("UPDATE plant SET n = x'01' WHERE i = 7", connection);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidCastException>(() => source.ReadWindowAsync(["i", "t", "n"], 5, Start.AddHours(1), CancellationToken.None).AsTask());
        Assert.Contains("'n'", error.Message);
    }

    private static void Attributes(string file, string change)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [change, file]);
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {file} failed: the test needs root on a file system with file attributes");
    }
}
