namespace ProcessOptimizer.Tests.Cli;

/// <summary><c>import-data</c> into an embedded SQLite database named on the command line.</summary>
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
}
