namespace ProcessOptimizer.Tests.Cli;

/// <summary>Issue 13: a mistyped command prints the usage and exits with 2 instead of starting the service.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("optimise", "--strategy", "x")]
    [InlineData("serve")]
    public void Run_UnknownCommand_PrintsUsageAndExits2(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"unknown command '{args[0]}'", error);
        Assert.Contains("usage: ProcessOptimizer", error);
    }

    [Theory]
    [InlineData("import-data")]
    [InlineData("optimize", "--input", "x.csv")]
    [InlineData("backtest", "--from", "2026-01-02T00:00:00Z")]
    public void Run_MissingRequiredOption_PrintsUsageAndExits2(params string[] args)
    {
        // import-data's check ran inside its task, where the dispatcher's catch did not see it: an unhandled exception.
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("missing required option", error);
        Assert.Contains("usage: ProcessOptimizer", error);
    }

    [Fact]
    public void Optimize_InputWithATagTwice_Exits2NamingIt()
    {
        using var files = new TempFiles();
        var input = files.Write("input.json", "{\"x1\": 1, \"x2\": 5, \"x3\": 5, \"x4\": 1, \"x2\": 4}");

        var (code, output, error) = CliRunner.Run("optimize", "--strategy", CliRunner.Fixture("hock-schittkowski/hs071.yaml"), "--input", input);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("input.json: malformed JSON", error);
        Assert.Contains("'x2'", error);
    }
}
