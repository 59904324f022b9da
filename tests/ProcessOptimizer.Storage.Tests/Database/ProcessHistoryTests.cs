using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>The dashboard's range reads, against SQLite and a real PostgreSQL.</summary>
public abstract class ProcessHistoryTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rows_Range_AreOldestFirstWithTheTagsThatAreColumns()
    {
        var text = new StringBuilder("timestamp,a,b\n");
        for (var r = 0; r < 100; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{(r == 30 ? "" : 2 * r)}\n");
        }

        await new ProcessDataImporter(Database).ImportAsync(CsvTable.Read(new StringReader(text.ToString()), "t.csv"), CancellationToken.None);
        var history = new ProcessHistory(Database);

        var rows = await history.RowsAsync("process_data", ["b", "computed"], Start.AddMinutes(20), Start.AddMinutes(40), CancellationToken.None);

        Assert.Equal(Enumerable.Range(20, 21).Select(m => (DateTimeOffset?)Start.AddMinutes(m)), rows.Select(r => r.Timestamp));
        Assert.All(rows, r => Assert.Equal(["b"], r.Values.Keys));
        Assert.Null(rows[10].Values["b"]);
        Assert.Equal(80, rows[^1].Values["b"]);
        Assert.Equal(Start.AddMinutes(99), await history.NewestRowAsync("process_data", CancellationToken.None));
    }

    [Fact]
    public async Task Rows_OfAStrategyWithItsOwnTable_AreThatTables()
    {
        // A strategy whose DataTable is not process_data: the dashboard's trends and data age come from its table.
        await new ProcessDataImporter(Database).ImportAsync(CsvTable.Read(new StringReader(string.Concat(
            new[] { "timestamp,a,b\n" }.Concat(Enumerable.Range(0, 100).Select(r => string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{r},{2 * r}\n"))))), "t.csv"), CancellationToken.None);
        await using (var connection = Kind == DatabaseKind.Sqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString)
            : new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE cooler_data AS SELECT \"timestamp\", 3 * a AS c FROM process_data WHERE a < 50";
            await command.ExecuteNonQueryAsync();
        }

        var history = new ProcessHistory(Database);

        var rows = await history.RowsAsync("cooler_data", ["b", "c"], Start.AddMinutes(40), Start.AddMinutes(60), CancellationToken.None);

        Assert.Equal(Enumerable.Range(40, 10).Select(m => (DateTimeOffset?)Start.AddMinutes(m)), rows.Select(r => r.Timestamp));
        Assert.All(rows, r => Assert.Equal(["c"], r.Values.Keys));
        Assert.Equal(3 * 49, rows[^1].Values["c"]);
        Assert.Equal(Start.AddMinutes(49), await history.NewestRowAsync("cooler_data", CancellationToken.None));
        Assert.Equal(Start.AddMinutes(99), await history.NewestRowAsync("process_data", CancellationToken.None));
    }

    [Fact]
    public async Task RunsAndOutcomes_Range_AreThisStrategysOnlyWithTheAskedVariables()
    {
        var store = new SqlRunStore(Database);
        var outcomes = new[] { RunOutcome.Success, RunOutcome.Infeasible, RunOutcome.Success, RunOutcome.SkippedStale, RunOutcome.Success };
        for (var i = 0; i < outcomes.Length; i++)
        {
            await store.SaveAsync(Run("kiln", Start.AddMinutes(10 * i), outcomes[i]), CancellationToken.None);
        }

        await store.SaveAsync(Run("kiln/api", Start.AddMinutes(15), RunOutcome.Error), CancellationToken.None);
        var history = new ProcessHistory(Database);

        var runs = await history.RunsAsync("kiln", ["x"], Start.AddMinutes(10), Start.AddMinutes(30), CancellationToken.None);
        var counts = await history.OutcomesAsync("kiln", Start, Start.AddHours(1), CancellationToken.None);

        Assert.Equal([RunOutcome.Infeasible, RunOutcome.Success, RunOutcome.SkippedStale], runs.Select(r => r.Outcome));
        Assert.All(runs, r => Assert.Equal(["x"], r.Recommendations.Select(v => v.Variable)));
        Assert.Equal(2.5, runs[0].Recommendations[0].Recommended);
        Assert.Equal(new Dictionary<RunOutcome, long> { [RunOutcome.Success] = 3, [RunOutcome.Infeasible] = 1, [RunOutcome.SkippedStale] = 1 }, counts);
    }

    private static RunRecord Run(string strategy, DateTimeOffset started, RunOutcome outcome) => new()
    {
        StrategyName = strategy,
        StrategyVersion = "1.0.0",
        StartedAt = started,
        FinishedAt = started.AddSeconds(1),
        DataTimestamp = started,
        Outcome = outcome,
        Recommendations = [new Recommendation("x", 2, 2.5, 0.5, "t/h"), new Recommendation("y", 7, 7, 0, "")],
    };
}
