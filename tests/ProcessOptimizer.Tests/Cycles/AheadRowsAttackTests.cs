using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Backtests;
using ProcessOptimizer.Tests.Scheduling;
using ProcessOptimizer.Tests.Workers;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// Rows stamped ahead of the service's clock beside a live feed, on both databases: a cycle solves on the live
/// rows and names the ones ahead, and the extra count of them never fails a cycle. On SQLite, rows another writer
/// stamped in a text form of its own are read by their time.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class AheadRowsAttackTests
{
    [Fact]
    public async Task LoopCycle_OneRowAYearAheadOfALiveFeed_SqliteSolvesAndNamesThatRow()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0");
        var run = await OneRowAYearAheadAsync(host);

        AssertSolvedAndNamedOneRowAYearAhead(run);
    }

    [Fact]
    public async Task LoopCycle_OneRowAYearAheadOfALiveFeed_PostgresSolvesAndNamesThatRow()
    {
        await using var database = await ScratchDatabase.CreateAsync("ahead");
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0", "--Database:Kind=postgres", "--Database:ConnectionString=" + database.Connection);
        var run = await OneRowAYearAheadAsync(host);

        AssertSolvedAndNamedOneRowAYearAhead(run);
    }

    // Regression: the count of rows ahead read their newest time in the service's own text form only, so a row that
    // another program stamped in a form of its own, which the window never reads, failed the whole cycle with a
    // FormatException: no run was stored for the slot. Every form SQLite reads as a time is counted by its time.
    [Theory]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss'Z'")]
    [InlineData("yyyy-MM-dd HH:mm:ss")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'")]
    public async Task LoopCycle_RowAheadStampedInAnotherWritersForm_SqliteCycleSolvesAndNamesIt(string form)
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0");
        var (now, tags) = await ImportLiveFeedAsync(host);
        await InsertAsync(host, tags, now.AddDays(2).ToString(form, CultureInfo.InvariantCulture));

        var run = await CycleAsync(host);

        Assert.Equal(RunOutcome.Success, run.Outcome);
        var warning = Assert.Single(run.MessageItems ?? [], m => m.Contains("stamped more than a minute after now", StringComparison.Ordinal));
        Assert.StartsWith("1 row is stamped more than a minute after now", warning, StringComparison.Ordinal);
        Assert.Contains("(48 h ahead of the service's clock)", warning, StringComparison.Ordinal);
    }

    // Regression: a plant writer's newest row in SQLite's own form ('2026-01-03 17:19:00') sorted as text before the
    // day's rows in the service's form, so the cycle solved on an older row (or, once the feed had run on that way for
    // longer than the data age, skipped it as stale) and never said why.
    [Fact]
    public async Task LoopCycle_NewestRowInSqlitesOwnForm_SqliteCycleSolvesOnIt()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0");
        var (now, tags) = await ImportLiveFeedAsync(host);
        var newest = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(-5);
        var values = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv")).Rows[^1].Values;
        await InsertAsync(host, tags, newest.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), [.. tags.Select(t => values[t]!.Value)]);

        var run = await CycleAsync(host);

        Assert.Equal(RunOutcome.Success, run.Outcome);
        Assert.Equal(newest, run.DataTimestamp);
    }

    // A row whose stamp is no time has no place in time, so no window reads it: the cycle solves on the live feed and
    // names that row, which may be a writer's newest in a form of its own. Before, it was logged and passed over.
    [Fact]
    public async Task LoopCycle_RowStampedWithNoTime_SqliteCycleSolvesAndNamesTheRow()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0");
        var (_, tags) = await ImportLiveFeedAsync(host);
        await InsertAsync(host, tags, "not a time");

        var run = await CycleAsync(host);

        Assert.Equal(RunOutcome.Success, run.Outcome);
        var warning = Assert.Single(run.MessageItems ?? [], m => m.Contains("stamped with no time", StringComparison.Ordinal));
        Assert.StartsWith("1 row of process_data is stamped with no time ('not a time'), so no cycle reads it", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("after now", warning, StringComparison.Ordinal);
    }

    // As a plant's own writer does: the stamp's text as it is, through SQLite alone; each value 1 unless given.
    private static async Task InsertAsync(WorkerHost host, List<string> tags, string stamp, double[]? values = null)
    {
        await using (var connection = new SqliteConnection(host.App.Configuration["Database:ConnectionString"]))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO process_data (\"timestamp\", {string.Join(", ", tags.Select(t => $"\"{t}\""))}) VALUES (@t, {string.Join(", ", tags.Select((_, i) => $"@v{i}"))})";
            insert.Parameters.AddWithValue("@t", stamp);
            for (var i = 0; i < tags.Count; i++)
            {
                insert.Parameters.AddWithValue($"@v{i}", values?[i] ?? 1.0);
            }

            await insert.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    // On a clock that stands still: a row exactly a minute ahead is not named, one a microsecond later is.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LoopCycle_RowsAtAMinuteAheadAndJustPast_OnlyThoseMoreThanAMinuteAheadAreNamed(bool postgres)
    {
        await using var database = postgres ? await ScratchDatabase.CreateAsync("ahead_edge") : null;
        var folder = Directory.CreateTempSubdirectory("po-ahead-edge-").FullName;
        var now = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var app = ServiceHost.Build(
            [
                "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", "--Solver:Workers=0",
                .. postgres
                    ? new[] { "--Database:Kind=postgres", "--Database:ConnectionString=" + database!.Connection }
                    : ["--Database:ConnectionString=Data Source=" + Path.Combine(folder, "runs.db")],
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now)));
        try
        {
            await using (app)
            {
                await ServiceHost.InitializeAsync(app, CancellationToken.None);
                await app.StartAsync();
                var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
                var shift = now.AddSeconds(-30) - input.Rows[^1].Timestamp!.Value;
                var tags = input.Rows[0].Values.Keys.ToList();
                var rows = input.Rows.Select(r => new CsvRow(r.Timestamp!.Value + shift, [.. tags.Select(t => r.Values[t])])).ToList();
                var newest = rows[^1];
                foreach (var ahead in new[] { TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60) + TimeSpan.FromMicroseconds(1), TimeSpan.FromSeconds(61) })
                {
                    rows.Add(newest with { Timestamp = now + ahead });
                }

                await new ProcessDataImporter(app.Services.GetRequiredService<ProcessDatabase>()).ImportAsync(new CsvTable(tags, rows), CancellationToken.None);
                var run = await app.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(app.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None);

                Assert.Equal(RunOutcome.Success, run!.Outcome);
                var warning = Assert.Single(run.MessageItems!, m => m.Contains("stamped more than a minute after now", StringComparison.Ordinal));
                Assert.StartsWith($"2 rows are stamped more than a minute after now, the newest at {now.AddSeconds(61):O} (61 s ahead", warning, StringComparison.Ordinal);
                await app.StopAsync();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Backtest_HistoryWithRowsAfterEachStepAndAYearAheadOfNow_NoStepNamesRowsAhead()
    {
        // Every step has an hour and more of history after it, and the last row is stamped a year after the clock:
        // a backtest reads the past, where later rows are the rest of the history, not a writer's wrong clock.
        var last = File.ReadLines(Path.Combine(TestServers.Kiln, "data", "kiln-history.csv")).Last();
        var ahead = DateTimeOffset.UtcNow.AddDays(365).ToString("yyyy-MM-dd'T'HH:mm:00'Z'", CultureInfo.InvariantCulture) + last[last.IndexOf(',', StringComparison.Ordinal)..];
        using var kiln = new KilnBacktest(line => line == last ? line + "\n" + ahead : line);

        var (code, _, error) = kiln.Run(0, "--from", "2026-01-02T10:00:00Z", "--to", "2026-01-02T10:30:00Z", "--step", "10m");

        Assert.True(code == 0, error);
        var steps = await kiln.StepsAsync(kiln.Summary().GetProperty("id").GetInt64());
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.NotEqual(RunOutcome.Error, s.Outcome));
        Assert.All(steps, s => Assert.DoesNotContain("after now", s.Message ?? "", StringComparison.Ordinal));
    }

    private static void AssertSolvedAndNamedOneRowAYearAhead(RunRecord run)
    {
        Assert.Equal(RunOutcome.Success, run.Outcome);
        var warning = Assert.Single(run.MessageItems!, m => m.Contains("stamped more than a minute after now", StringComparison.Ordinal));
        Assert.StartsWith("1 row is stamped more than a minute after now", warning, StringComparison.Ordinal);
        // 365 days ahead, less the few seconds between the import and the cycle.
        Assert.Contains("(8760 h ahead of the service's clock)", warning, StringComparison.Ordinal);
    }

    // The live feed, and one more row (a copy of its newest) stamped 365 days later.
    private static async Task<RunRecord> OneRowAYearAheadAsync(WorkerHost host)
    {
        var (now, tags) = await ImportLiveFeedAsync(host);
        var newest = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv")).Rows[^1];
        var ahead = new CsvRow(DataTime.Whole(now.AddDays(365)), [.. tags.Select(t => newest.Values[t])]);
        await new ProcessDataImporter(host.App.Services.GetRequiredService<ProcessDatabase>()).ImportAsync(new CsvTable(tags, [ahead]), CancellationToken.None);
        return await CycleAsync(host);
    }

    // The kiln's latest window (90 one-minute rows) with its newest row 30 s before now.
    private static async Task<(DateTimeOffset Now, List<string> Tags)> ImportLiveFeedAsync(WorkerHost host)
    {
        var now = DateTimeOffset.UtcNow;
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var shift = DataTime.Whole(now.AddSeconds(-30)) - input.Rows[^1].Timestamp!.Value;
        var tags = input.Rows[0].Values.Keys.ToList();
        var rows = input.Rows.Select(r => new CsvRow(r.Timestamp!.Value + shift, [.. tags.Select(t => r.Values[t])])).ToList();
        await new ProcessDataImporter(host.App.Services.GetRequiredService<ProcessDatabase>()).ImportAsync(new CsvTable(tags, rows), CancellationToken.None);
        return (now, tags);
    }

    private static async Task<RunRecord> CycleAsync(WorkerHost host)
    {
        var run = await host.App.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None);
        return run!;
    }
}
