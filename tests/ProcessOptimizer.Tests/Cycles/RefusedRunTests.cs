using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Tests.Cli;
using ProcessOptimizer.Tests.Strategies;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// A run that SQLite will never take (a NaN, which its NOT NULL columns refuse) does not block the outbox: it waits
/// there once, is set aside, named in the log, when the replay meets it, and the runs after it are stored. No cycle
/// publishes a NaN today; the outbox must not depend on that.
/// </summary>
public sealed class RefusedRunTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Record_RunWithNaNOnSqlite_IsSetAsideNamedInTheLogAndTheRunsAfterItAreStored()
    {
        var database = ProcessDatabase.Create(DatabaseKind.Sqlite, $"Data Source={Path.Combine(_files.Root, "po.db")};Pooling=False");
        await database.MigrateAsync(CancellationToken.None);
        var store = new SqlRunStore(database);
        var outbox = new RunOutbox(Path.Combine(_files.Root, "outbox"), TimeProvider.System);
        var log = new ListLogger<RunRecorder>();
        var recorder = new RunRecorder(store, outbox, new ServiceInstance("test"), log);

        var bad = await recorder.RecordAsync(Run(0) with { Key = "the-nan-run", Recommendations = [new("kiln_feed", 1, double.NaN, 1, "t/h")] }, hold: true, CancellationToken.None);
        var pendingAfterBad = recorder.Pending;
        var next = await recorder.RecordAsync(Run(1), hold: true, CancellationToken.None);
        var last = await recorder.RecordAsync(Run(2), hold: false, CancellationToken.None);

        Assert.True(bad.Pending);
        Assert.Equal(1, pendingAfterBad);
        Assert.False(next.Pending);
        Assert.False(last.Pending);
        Assert.Equal(0, recorder.Pending);
        Assert.Equal(1, outbox.Refused);
        Assert.Single(Directory.GetFiles(Path.Combine(outbox.Folder, RunOutbox.RefusedFolderName), "*.json"));
        var setAside = Assert.Single(log.Messages, m => m.Contains("refused by the database for good", StringComparison.Ordinal));
        Assert.Contains("the-nan-run", setAside, StringComparison.Ordinal);
        Assert.Contains("NaN", setAside, StringComparison.Ordinal);
        var stored = await store.RangeAsync(Start.AddDays(-1), Start.AddDays(1), 10, null, CancellationToken.None);
        Assert.Equal([Start.AddMinutes(2), Start.AddMinutes(1)], stored.Select(r => r.DataTimestamp!.Value));
    }

    private static RunRecord Run(int minute) => new()
    {
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        DataTimestamp = Start.AddMinutes(minute),
        StartedAt = Start.AddMinutes(minute).AddSeconds(1),
        FinishedAt = Start.AddMinutes(minute).AddSeconds(1.2),
        Outcome = RunOutcome.Success,
        Recommendations = [new("kiln_feed", 1, 2, 1, "t/h")],
    };
}
