using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>import-data's streamed path, in batches, against SQLite and against a real PostgreSQL.</summary>
public abstract class ImportStreamTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A CSV streamed from text: header <c>timestamp,a,b</c> (and <c>c</c> when asked), tag a is <paramref name="sign"/>·r, tag b is empty on every 7th row.</summary>
    private static CsvRowReader Streamed(int rows, int sign = 1, bool withC = false, Func<int, string?>? line = null)
    {
        var text = new StringBuilder(withC ? "timestamp,a,b,c\n" : "timestamp,a,b\n");
        for (var r = 0; r < rows; r++)
        {
            var b = r % 7 == 0 ? "" : (0.5 * r).ToString(CultureInfo.InvariantCulture);
            text.Append(line?.Invoke(r) ?? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{sign * r},{b}{(withC ? ",1" : "")}")).Append('\n');
        }

        return new CsvRowReader(new StringReader(text.ToString()), "stream.csv");
    }

    private Task<(int Rows, IReadOnlyList<string> NewColumns)> StreamAsync(CsvRowReader csv) => new ProcessDataImporter(Database).ImportAsync(csv, CancellationToken.None);

    [Fact]
    public async Task ImportStream_ManyBatches_WritesEveryRowWithItsValuesAndNulls()
    {
        // Issue 19: import-data streams; 5 000 rows are several batches, with rows on both sides of each boundary checked.
        var (rows, added) = await StreamAsync(Streamed(5_000));

        Assert.Equal(5_000, rows);
        Assert.Equal(["a", "b"], added);
        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a", "b"], 10_000, Start.AddDays(30), CancellationToken.None);
        Assert.Equal(5_000, window.Count);
        foreach (var r in new[] { 0, 1, 1023, 1024, 1025, 2048, 4998, 4999 })
        {
            Assert.Equal(Start.AddMinutes(r), window[r].Timestamp);
            Assert.Equal(r, window[r].Values["a"]);
            Assert.Equal(r % 7 == 0 ? null : 0.5 * r, window[r].Values["b"]);
        }
    }

    [Fact]
    public async Task ImportStream_BadLineAfterSeveralBatches_FailsWithItsLineAndLeavesTheDatabaseAsItWas()
    {
        // Issue 19: the rows of the batches before the bad line were already sent; they, the updates of stored rows
        // and the new column must all be rolled back.
        await StreamAsync(Streamed(100));

        var error = await Assert.ThrowsAsync<InputException>(() => StreamAsync(Streamed(5_000, sign: -1, withC: true, line: r => r == 3_500
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},oops,1,1")
            : null)));

        Assert.Equal("stream.csv: line 3502: column 'a': 'oops' is not a number", error.Message);
        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 10_000, Start.AddDays(30), CancellationToken.None);
        Assert.Equal(100, window.Count);
        Assert.All(window, row => Assert.True(row.Values["a"] >= 0, "a stored row was overwritten by the failed import"));
        var missing = await Assert.ThrowsAsync<DataSourceException>(() => new SqlProcessDataSource(Database).ReadWindowAsync(["c"], 1, Start.AddDays(30), CancellationToken.None).AsTask());
        Assert.Equal(["c"], missing.MissingColumns);
    }

    [Fact]
    public async Task ImportStream_LongerThanTheCallTimeout_IsNotCutShort()
    {
        // A year of data takes longer than any one call may: the import's length is not capped by the call timeout,
        // only a database that stops answering ends it. Here a slow file makes it last several timeouts.
        var timeout = TimeSpan.FromSeconds(1);
        var database = ProcessDatabase.Create(Kind, ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = timeout } });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var (rows, _) = await new ProcessDataImporter(database).ImportAsync(new CsvRowReader(new GeneratedCsv(3_000, r =>
        {
            if (r % 100 == 0)
            {
                Thread.Sleep(100);
            }
        }, start), "slow.csv"), CancellationToken.None);

        Assert.True(clock.Elapsed > 2 * timeout, $"the import took {clock.Elapsed.TotalSeconds:F1} s: not long enough to test anything");
        Assert.Equal(3_000, rows);
        var window = await new SqlProcessDataSource(database).ReadWindowAsync(["a", "b"], 10_000, start.AddDays(30), CancellationToken.None);
        Assert.Equal(3_000, window.Count(row => row.Timestamp >= start));
        Assert.Equal(start.AddMinutes(2_999), window[^1].Timestamp);
        Assert.Equal(1_499.5, window[^1].Values["b"]);
    }

    [Fact]
    public async Task ImportStream_NaNAndInfinitiesAtTheFirstAMiddleAndTheLastRow_StoredAsMissingOnEitherDatabase()
    {
        // SQLite cannot store NaN (the import failed naming the step, not the line) and PostgreSQL stored all three:
        // a window reads a missing value and one that is not finite alike, so the cells are stored as missing on both.
        var csv = Streamed(3_000, line: r => r switch
        {
            0 => $"{Start:O},NaN,0",
            1_500 => $"{Start.AddMinutes(r):O},1500,inf",
            2_999 => $"{Start.AddMinutes(r):O},-Infinity,1499.5",
            _ => null,
        });

        var (rows, _) = await StreamAsync(csv);

        Assert.Equal(3_000, rows);
        Assert.Equal(3, csv.NotFinite);
        Assert.Equal("line 2, column 'a'", csv.FirstNotFinite);
        await using var connection = Database.Dialect.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM process_data WHERE \"timestamp\" IN ({string.Join(", ", new[] { 0, 1_500, 2_999 }.Select(r => Literal(Start.AddMinutes(r))))}) AND (a IS NULL OR b IS NULL)";
        Assert.Equal(3L, Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a", "b"], 10_000, Start.AddDays(30), CancellationToken.None);
        Assert.Null(window[0].Values["a"]);
        Assert.Null(window[1_500].Values["b"]);
        Assert.Null(window[2_999].Values["a"]);
        Assert.Equal(1_500, window[1_500].Values["a"]);
    }

    // A time as SQL that both databases compare with the stored column: SQLite's stored text, PostgreSQL's timestamptz.
    private string Literal(DateTimeOffset time) => Kind == DatabaseKind.Sqlite
        ? $"'{time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}'"
        : $"'{time:O}'::timestamptz";

    [Fact]
    public async Task ImportStream_TimestampRepeatedInALaterBatch_NamesBothLinesAndImportsNothing()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => StreamAsync(Streamed(4_000, line: r => r == 3_000
            ? string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(10):O},1,1")
            : null)));

        Assert.Equal($"stream.csv: line 3002: timestamp {Start.AddMinutes(10):O} repeats line 12", error.Message);
        Assert.Empty(await new SqlProcessDataSource(Database).ReadWindowAsync([], 10, Start.AddDays(30), CancellationToken.None));
    }
}
