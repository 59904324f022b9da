using ProcessOptimizer.Cli;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Cli;

/// <summary><c>optimize</c> and <c>validate</c> on a machine without IPOPT: a failure in one line, not a stack trace.</summary>
public class MissingSolverLibraryCliTests
{
    private static string Kiln => TestServers.Kiln;

    private static string Strategy => Path.Combine(Kiln, "store", "configs", "process-optimization-strategy-config-1.0.0.yaml");

    [Theory]
    [InlineData("optimize")]
    [InlineData("validate")]
    public async Task Command_WithoutTheSolverLibrary_FailsWithOneLineNamingIt(string command)
    {
        string[] args = command == "optimize"
            ? ["optimize", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv")]
            : ["validate", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store")];
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CommandDispatcher.RunAsync(args, output, error, new IpoptLibrary(MissingSolverLibraryTests.Absent));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(MissingSolverLibraryTests.Absent, line, StringComparison.Ordinal);
    }
}
