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
}
