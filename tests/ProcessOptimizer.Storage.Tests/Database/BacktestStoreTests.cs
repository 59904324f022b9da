using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>Issue 18: backtests and their steps in tables of their own, on SQLite and on PostgreSQL.</summary>
public abstract class BacktestStoreTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveSteps_ReadBack_KeepsEveryValueInTimeOrderAndPages()
    {
        var store = new SqlBacktestStore(Database);
        var id = await store.CreateAsync(Header(), CancellationToken.None);
        var steps = Enumerable.Range(0, 5).Reverse().SelectMany(i => new[] { Step("1.0.1", i), Step("1.0.0", i) }).ToList();

        await store.SaveStepsAsync(id, steps[..4], 2, CancellationToken.None);
        await store.SaveStepsAsync(id, steps[4..], 5, CancellationToken.None);
        var all = await store.StepsAsync(id, null, 0, 100, CancellationToken.None);
        var page = await store.StepsAsync(id, "1.0.1", 1, 2, CancellationToken.None);
        var header = await store.GetAsync(id, CancellationToken.None);

        Assert.Equal(10, all.Count);
        Assert.Equal([.. steps.OrderBy(s => s.Time).ThenBy(s => s.Version, StringComparer.Ordinal).Select(s => (s.Version, s.Time))], all.Select(s => (s.Version, s.Time)));
        var third = all.Single(s => s.Version == "1.0.0" && s.Time == Start.AddMinutes(15));
        var expected = Step("1.0.0", 3);
        Assert.Equal(expected.Outcome, third.Outcome);
        Assert.Equal(expected.Cost, third.Cost);
        Assert.Null(third.CostAtOperators);
        Assert.Equal(expected.Message, third.Message);
        Assert.Equal(expected.Decisions["coal"], third.Decisions["coal"]);
        Assert.True(double.IsNaN(third.Predictions["bzt"].Recommended));
        Assert.Equal(expected.Measured["bzt"], third.Measured["bzt"]);
        Assert.Equal([Start.AddMinutes(5), Start.AddMinutes(10)], page.Select(s => s.Time));
        Assert.Equal(5, header!.StepsDone);
        Assert.Equal(BacktestStatus.Running, header.Status);
    }

    [Fact]
    public async Task Finish_StoresSummaryAndStatus_AndLeavesLiveRunsAlone()
    {
        var store = new SqlBacktestStore(Database);
        var id = await store.CreateAsync(Header(), CancellationToken.None);
        await store.SaveStepsAsync(id, [Step("1.0.0", 0)], 1, CancellationToken.None);

        await store.FinishAsync(id, BacktestStatus.Cancelled, Start.AddHours(2), "{\"versions\":{}}", "cancelled", CancellationToken.None);
        var header = await store.GetAsync(id, CancellationToken.None);
        var runs = new SqlRunStore(Database);

        Assert.Equal(BacktestStatus.Cancelled, header!.Status);
        Assert.Equal("{\"versions\":{}}", header.Summary);
        Assert.Equal(["1.0.0", "1.0.1"], header.Versions);
        Assert.Equal(TimeSpan.FromMinutes(5), header.Step);
        Assert.Null(await runs.LatestAsync(null, CancellationToken.None));
        Assert.Null(await runs.LastRunTimestampAsync("process-optimization", CancellationToken.None));
        Assert.Null(await store.GetAsync(id + 1, CancellationToken.None));
    }

    [Fact]
    public async Task AbandonStale_RunningWithoutSignOfLife_FailsOnlyThoseAndSaysSince()
    {
        // A backtest whose process died stays "running" unless someone notices that its heartbeat stopped.
        var store = new SqlBacktestStore(Database);
        var silent = await store.CreateAsync(Header(), CancellationToken.None);
        var alive = await store.CreateAsync(Header(), CancellationToken.None);
        var finished = await store.CreateAsync(Header(), CancellationToken.None);
        await store.FinishAsync(finished, BacktestStatus.Completed, Start.AddHours(1.5), "{}", null, CancellationToken.None);
        await store.HeartbeatAsync(alive, Start.AddHours(3), CancellationToken.None);

        var abandoned = await store.AbandonStaleAsync(Start.AddHours(2), Start.AddHours(3), CancellationToken.None);
        var again = await store.AbandonStaleAsync(Start.AddHours(2), Start.AddHours(3), CancellationToken.None);

        Assert.Equal([silent], abandoned);
        Assert.Empty(again);
        var failed = (await store.GetAsync(silent, CancellationToken.None))!;
        Assert.Equal(BacktestStatus.Failed, failed.Status);
        Assert.Equal(Start.AddHours(3), failed.FinishedAt);
        Assert.Contains("interrupted", failed.Error);
        Assert.Contains(Start.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), failed.Error);
        Assert.Equal(BacktestStatus.Running, (await store.GetAsync(alive, CancellationToken.None))!.Status);
        Assert.Equal(BacktestStatus.Completed, (await store.GetAsync(finished, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Heartbeat_FinishedBacktest_LeavesItFinished()
    {
        var store = new SqlBacktestStore(Database);
        var id = await store.CreateAsync(Header(), CancellationToken.None);
        await store.FinishAsync(id, BacktestStatus.Cancelled, Start.AddHours(2), null, "cancelled", CancellationToken.None);

        await store.HeartbeatAsync(id, Start.AddHours(5), CancellationToken.None);

        Assert.Empty(await store.AbandonStaleAsync(Start.AddHours(6), Start.AddHours(6), CancellationToken.None));
        Assert.Equal(BacktestStatus.Cancelled, (await store.GetAsync(id, CancellationToken.None))!.Status);
    }

    private static BacktestRecord Header() => new()
    {
        StrategyName = "process-optimization",
        From = Start,
        To = Start.AddMinutes(25),
        Step = TimeSpan.FromMinutes(5),
        Versions = ["1.0.0", "1.0.1"],
        Status = BacktestStatus.Running,
        CreatedAt = Start.AddHours(1),
        StepsTotal = 5,
    };

    private static BacktestStep Step(string version, int i) => new()
    {
        Version = version,
        Time = Start.AddMinutes(5 * i),
        DataTimestamp = Start.AddMinutes((5 * i) - 1),
        Outcome = i % 2 == 0 ? RunOutcome.Success : RunOutcome.SkippedStale,
        Cost = i % 2 == 0 ? -1.5 * i : null,
        CostAtCurrent = 0.25 * i,
        CostAtOperators = double.NaN,
        Message = i % 2 == 0 ? null : $"stale at {i}",
        Decisions = new Dictionary<string, StepValue> { ["coal"] = new(11 + (i / 10.0), 11.05 + (i / 10.0)) },
        Predictions = new Dictionary<string, StepValue> { ["bzt"] = new(1440 + i, double.NaN) },
        Measured = new Dictionary<string, double> { ["bzt"] = 1441.125 + i },
    };
}

public sealed class SqliteBacktestStoreTests() : BacktestStoreTests(DatabaseKind.Sqlite);

public sealed class PostgresBacktestStoreTests() : BacktestStoreTests(DatabaseKind.Postgres);
