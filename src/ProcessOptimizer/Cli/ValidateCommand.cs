using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cli;

/// <summary><c>validate --strategy FILE [--store DIR]</c>: every problem on stderr, or a summary on stdout.</summary>
internal sealed class ValidateCommand(INonlinearSolver solver)
{
    public int Run(CommandLine line, TextWriter output, TextWriter error)
    {
        var path = line.Required("--strategy");
        var (strategy, problems) = StrategyFile.Read(path, solver);
        var missing = strategy is not null && line.Option("--store") is { } store
            ? StrategyFile.MissingArtifacts(strategy, store).ToList()
            : [];
        StrategyFile.WriteProblems(error, path, problems);
        foreach (var problem in missing)
        {
            error.WriteLine($"{path}: error: {problem}");
        }

        if (strategy is null || missing.Count > 0)
        {
            error.WriteLine($"{path}: invalid ({problems.Count(p => !p.IsWarning) + missing.Count} errors)");
            return ExitCodes.Invalid;
        }

        output.WriteLine(StrategyDescription.Summary(path, strategy));
        return ExitCodes.Success;
    }
}
