using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProcessOptimizer.Tests.Scheduling;

namespace ProcessOptimizer.Tests.Cli;

/// <summary><c>import-data</c> into an embedded SQLite database named on the command line, and into PostgreSQL where the two differed.</summary>
public class ImportCommandTests
{
    [Fact]
    public void ImportData_KilnHistory_IsIdempotentAndReportsNewColumns()
    {
        using var files = new TempFiles();
        var database = $"--Database:ConnectionString=Data Source={Path.Combine(files.Root, "po.db")}";
        var csv = Path.Combine(TestServers.Kiln, "data", "kiln-history.csv");

        var first = CliRunner.Run("import-data", "--csv", csv, database);
        var second = CliRunner.Run("import-data", "--csv", csv, database);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("imported 4440 rows", first.Output);
        Assert.Contains("new columns: Burning_zone_temperature", first.Output);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("new columns", second.Output);
    }

    [Fact]
    public void ImportData_MalformedLine_FailsWithItsNumber()
    {
        using var files = new TempFiles();
        var csv = files.Write("bad.csv", "timestamp,a\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,x\n");

        var (code, _, error) = CliRunner.Run("import-data", "--csv", csv, $"--Database:ConnectionString=Data Source={Path.Combine(files.Root, "po.db")}");

        Assert.Equal(2, code);
        Assert.Contains("line 3: column 'a': 'x' is not a number", error);
    }

    [Fact]
    public void ImportData_BadLineAfterManyBatches_ImportsNothingAndSaysSo()
    {
        // Issue 19: the import streams in batches inside one transaction; a bad line late in the file rolls back
        // the rows already sent, so a second import of the good part still creates the column and every row.
        using var files = new TempFiles();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var good = string.Concat(Enumerable.Range(0, 3_000).Select(i => $"{start.AddMinutes(i):O},{i}\n"));
        var bad = files.Write("bad.csv", "timestamp,a\n" + good + $"{start.AddMinutes(3_000):O},1e400x\n");
        var fixedFile = files.Write("good.csv", "timestamp,a\n" + good);
        var database = $"--Database:ConnectionString=Data Source={Path.Combine(files.Root, "po.db")}";

        var failed = CliRunner.Run("import-data", "--csv", bad, database);
        var retried = CliRunner.Run("import-data", "--csv", fixedFile, database);

        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("line 3002: column 'a': '1e400x' is not a number (nothing was imported)", failed.Error);
        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Contains("imported 3000 rows", retried.Output);
        Assert.Contains("new columns: a", retried.Output);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ImportData_NaNAndInfinitiesAtTheFirstAMiddleAndTheLastRow_StoredEmptyAndCounted(string kind)
    {
        // PostgreSQL stored NaN and the infinities as they were; SQLite refused NaN, naming the step and not the line.
        await using var scratch = kind == "postgres" ? await ScratchDatabase.CreateAsync("import_nan") : null;
        using var files = new TempFiles();
        var connection = scratch?.Connection ?? $"Data Source={Path.Combine(files.Root, "po.db")}";
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var text = new StringBuilder("timestamp,a,b\n");
        for (var r = 0; r < 5; r++)
        {
            var (a, b) = r switch { 0 => ("NaN", "0"), 2 => ("2", "inf"), 4 => ("-Infinity", "4"), _ => (r.ToString(CultureInfo.InvariantCulture), r.ToString(CultureInfo.InvariantCulture)) };
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(r):O},{a},{b}\n");
        }

        var (code, output, error) = CliRunner.Run("import-data", "--csv", files.Write("nan.csv", text.ToString()), $"--Database:Kind={kind}", $"--Database:ConnectionString={connection}");

        Assert.True(code == 0, error);
        Assert.Contains("imported 5 rows", output, StringComparison.Ordinal);
        Assert.Contains("; 3 cells held NaN or an infinity and were stored empty, as missing values (the first at line 2, column 'a')", output, StringComparison.Ordinal);
        var nulls = kind == "postgres" ? await PostgresNullsAsync(scratch!.Connection) : SqliteNulls(connection);
        Assert.Equal((2L, 1L), nulls);
    }

    private static async Task<(long A, long B)> PostgresNullsAsync(string connection)
    {
        await using var open = new NpgsqlConnection(connection);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FILTER (WHERE a IS NULL), count(*) FILTER (WHERE b IS NULL) FROM process_data", open);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static (long A, long B) SqliteNulls(string connection)
    {
        using var open = new SqliteConnection(connection + ";Pooling=False");
        open.Open();
        using var command = open.CreateCommand();
        command.CommandText = "SELECT sum(a IS NULL), sum(b IS NULL) FROM process_data";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
