using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

/// <summary>
/// Issue 13: IPOPT touches no file of its own choosing. These tests put files in the process's working
/// directory, so they run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkingDirectoryCollection
{
    public const string Name = "working directory";
}

[Collection(WorkingDirectoryCollection.Name)]
public class WorkingDirectoryTests
{
    private readonly IpoptSolver _solver = new();

    [Fact]
    public void Solve_IpoptOptInTheWorkingDirectory_IsNotRead()
    {
        // IPOPT reads ./ipopt.opt unless told otherwise; this one would stop every solve after one iteration.
        var file = Path.Combine(Environment.CurrentDirectory, "ipopt.opt");
        Assert.False(File.Exists(file), $"{file} exists before the test");
        File.WriteAllText(file, "max_iter 1\n");
        try
        {
            var solution = _solver.Solve(new Hs071Program(), new SolverSettings(), CancellationToken.None);

            Assert.Equal("Solve_Succeeded", solution.SolverStatus);
            Assert.InRange(solution.Iterations, 2, 200);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("output_file")]
    [InlineData("option_file_name")]
    public void Solve_FileOptionInSettings_IsRefusedAndNoFileIsWritten(string option)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ipopt-hostile-{Guid.NewGuid():n}.txt");
        var settings = new SolverSettings { Options = new Dictionary<string, object> { [option] = file, ["file_print_level"] = 5 } };

        var error = Assert.Throws<SolverException>(() => _solver.Solve(new Hs071Program(), settings, CancellationToken.None));

        Assert.Contains($"'{option}' is not allowed", error.Message);
        Assert.False(File.Exists(file));
    }
}
