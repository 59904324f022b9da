using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>One suite, run against SQLite and against a real PostgreSQL.</summary>
public abstract partial class ProcessDatabaseTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Rows one minute apart from <see cref="Start"/>; tag a is r, tag b is 2r.</summary>
    protected static CsvTable Csv(int rows, Func<int, string>? line = null)
    {
        var text = new StringBuilder("timestamp,a,b\n");
        for (var r = 0; r < rows; r++)
        {
            text.Append(line?.Invoke(r) ?? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")).Append('\n');
        }

        return CsvTable.Read(new StringReader(text.ToString()), "test.csv");
    }

    protected Task ImportAsync(CsvTable table) => new ProcessDataImporter(Database).ImportAsync(table, CancellationToken.None);

    [Fact]
    public async Task ReadWindow_ReturnsNewestRowsUpToTheCycleTimeOldestFirst()
    {
        await ImportAsync(Csv(200));

        var rows = await new SqlProcessDataSource(Database).ReadWindowAsync(["b"], 50, Start.AddMinutes(120).AddSeconds(30), CancellationToken.None);

        Assert.Equal(50, rows.Count);
        Assert.Equal(Start.AddMinutes(71), rows[0].Timestamp);
        Assert.Equal(Start.AddMinutes(120), rows[^1].Timestamp);
        Assert.Equal(240, rows[^1].Values["b"]);
        Assert.Equal(["b"], rows[^1].Values.Keys);
    }

    [Fact]
    public async Task ReadWindow_WindowsHeldAtOnce_EachKeepsItsOwnRowsAndAGivenBackOneIsRefilled()
    {
        // Issue 19: windows and connections are kept per list of tags and filled again; two cycles reading at once
        // must never see each other's rows, and a window given back must come back with the new read's rows only.
        await ImportAsync(Csv(200));
        var source = new SqlProcessDataSource(Database);

        var first = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(100), CancellationToken.None);
        var second = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(150), CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.Equal(100, first[^1].Values["a"]);
        Assert.Equal(150, second[^1].Values["a"]);
        Assert.Equal(Start.AddMinutes(71), first[0].Timestamp);
        second.Dispose();
        first.Dispose();

        // Fewer rows than asked (the history's start), then a full window again from a window given back.
        var short_ = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(4), CancellationToken.None);
        Assert.Equal(5, short_.Count);
        Assert.Equal([0.0, 1, 2, 3, 4], short_.Column(short_.TagIndex("a")));
        short_.Dispose();
        var again = await source.ReadWindowAsync(["a", "b"], 30, Start.AddMinutes(60), CancellationToken.None);
        Assert.Equal(30, again.Count);
        Assert.Equal(Enumerable.Range(31, 30).Select(r => 2.0 * r), again.Column(again.TagIndex("b")));
        Assert.Equal(Start.AddMinutes(31), again.Timestamp(0));
        Assert.Equal(Start.AddMinutes(60), again.Timestamp(29));
    }

    [Fact]
    public async Task ReadWindow_MissingColumn_IsAConfigurationErrorNamingIt()
    {
        await ImportAsync(Csv(5));

        var error = await Assert.ThrowsAsync<DataSourceException>(() =>
            new SqlProcessDataSource(Database).ReadWindowAsync(["a", "Kiln_Coal_PV"], 5, Start.AddHours(1), CancellationToken.None).AsTask());

        Assert.Equal(["Kiln_Coal_PV"], error.MissingColumns);
        Assert.False(error.IsTransient);
        Assert.Contains("process_data has no column for Kiln_Coal_PV", error.Message);
    }

    [Fact]
    public async Task Guards_NameEachBadCondition()
    {
        await ImportAsync(Csv(10, r => r == 9
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},,{2 * r}")
            : string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")));
        var rows = await new SqlProcessDataSource(Database).ReadWindowAsync(["a", "b"], 10, Start.AddMinutes(30), CancellationToken.None);
        var newest = Start.AddMinutes(9);

        Assert.Equal(RunOutcome.SkippedBadData, DataGuard.Check(rows, ["a", "b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), null)!.Value.Outcome);
        Assert.Contains("no valid value for a", DataGuard.Check(rows, ["a", "b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), null)!.Value.Message);
        Assert.Equal(RunOutcome.SkippedStale, DataGuard.Check(rows, ["b"], newest.AddMinutes(11), TimeSpan.FromMinutes(10), null)!.Value.Outcome);
        Assert.Equal(RunOutcome.SkippedNoNewData, DataGuard.Check(rows, ["b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), newest)!.Value.Outcome);
        Assert.Null(DataGuard.Check(rows, ["b"], newest.AddMinutes(1), TimeSpan.FromMinutes(10), newest.AddMinutes(-1)));
    }

    [Fact]
    public async Task Import_TenThousandRows_IsIdempotentAndCreatesColumns()
    {
        var table = Csv(10_000);
        var (rows, added) = await new ProcessDataImporter(Database).ImportAsync(table, CancellationToken.None);
        await ImportAsync(table);

        Assert.Equal(10_000, rows);
        Assert.Equal(["a", "b"], added);
        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 20_000, Start.AddDays(30), CancellationToken.None);
        Assert.Equal(10_000, window.Count);
        Assert.Equal(9_999, window[^1].Values["a"]);
    }

    [Fact]
    public async Task Import_MalformedRow_FailsWithLineAndImportsNothing()
    {
        var error = Assert.Throws<InputException>(() => Csv(10_000, r => r == 7_000
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},oops,1")
            : string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}")));

        Assert.Equal("test.csv: line 7002: column 'a': 'oops' is not a number", error.Message);
        var columns = await new SqlProcessDataSource(Database).ReadWindowAsync([], 10, Start.AddDays(30), CancellationToken.None);
        Assert.Empty(columns);
    }

    [Fact]
    public async Task LastRunTimestamp_SurvivesARestartOfTheDataLayer()
    {
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start.AddMinutes(5), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(9), RunOutcome.SkippedStale, 0), CancellationToken.None);

        var reopened = new SqlRunStore(Reopen());
        await Reopen().MigrateAsync(CancellationToken.None);

        Assert.Equal(Start.AddMinutes(5), await reopened.LastRunTimestampAsync("kiln", CancellationToken.None));
        Assert.Null(await reopened.LastRunTimestampAsync("other", CancellationToken.None));
    }

    [Fact]
    public async Task LastRunTimestamp_AfterAnErrorOnNewerData_IsTheLastMinuteSolvedOrSkippedForItsData()
    {
        // Issue 14: a cycle that failed on a minute did not solve it, so the next cycle on that minute must not
        // take it for consumed ("no new data"); a minute skipped for bad data is consumed.
        var store = new SqlRunStore(Database);
        await store.SaveAsync(Run(Start.AddMinutes(5), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(6), RunOutcome.Error, 0), CancellationToken.None);

        Assert.Equal(Start.AddMinutes(5), await store.LastRunTimestampAsync("kiln", CancellationToken.None));

        await store.SaveAsync(Run(Start.AddMinutes(6), RunOutcome.Success, 1), CancellationToken.None);
        await store.SaveAsync(Run(Start.AddMinutes(7), RunOutcome.SkippedBadData, 0), CancellationToken.None);
        Assert.Equal(Start.AddMinutes(7), await store.LastRunTimestampAsync("kiln", CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_SchemaFromBeforeTheDataKey_AddsTheColumnAndItsUniqueIndexAndKeepsTheRuns()
    {
        // Migration makes only what is missing (issue 14: a schema already current needs no schema change at all).
        var store = new SqlRunStore(Database);
        var kept = await store.SaveAsync(Run(Start, RunOutcome.Success, 2), CancellationToken.None);
        await Database.RunAsync("roll the schema back", async (connection, transaction, ct) =>
        {
            await ProcessDatabase.ExecuteAsync(connection, transaction, "DROP INDEX optimization_runs_data_key", ct);
            await ProcessDatabase.ExecuteAsync(connection, transaction, "ALTER TABLE optimization_runs DROP COLUMN data_key", ct);
        }, CancellationToken.None);

        var reopened = Reopen();
        await reopened.MigrateAsync(CancellationToken.None);

        var migrated = new SqlRunStore(reopened);
        var first = await migrated.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 1) with { DataKey = "kiln|data|1" }, CancellationToken.None);
        var again = await migrated.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 1) with { DataKey = "kiln|data|1" }, CancellationToken.None);
        Assert.Equal(new RunSave(first.Id, true), again);
        Assert.Equal(2, (await migrated.GetAsync(kept.Id, CancellationToken.None))!.Recommendations.Count);
        Assert.True(reopened.IsMigrated);
        Assert.Null(reopened.SchemaError);
    }

    private async Task<long> CountRecommendationsAsync() =>
        Convert.ToInt64(await ExecuteAsync("SELECT COUNT(*) FROM optimization_recommendations"), CultureInfo.InvariantCulture);

    // A statement on a connection of its own, outside the service's data layer, as an operator's tool would run it.
    private async Task<object?> ExecuteAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = Kind == DatabaseKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString)
            : new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Starts a long save and kills its connection (or its process's hold on it) part-way through.</summary>
    protected abstract Task InterruptedSaveAsync(SqlRunStore store);

    protected static RunRecord Run(DateTimeOffset data, RunOutcome outcome, int recommendations) => new()
    {
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        ModelVersions = new Dictionary<string, string> { ["models/m.onnx"] = "etag-1" },
        DataTimestamp = data,
        StartedAt = data.AddSeconds(1),
        FinishedAt = data.AddSeconds(1.25),
        Outcome = outcome,
        SolverStatus = "Solve_Succeeded",
        Iterations = 12,
        Cost = -1.5,
        Message = "ok",
        Recommendations = [.. Enumerable.Range(0, recommendations).Select(i => new Recommendation($"v{i:D5}", i, i + 0.5, 0.5, "t/h"))],
    };
}
