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
}
