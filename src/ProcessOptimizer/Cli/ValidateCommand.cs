using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

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

        output.WriteLine(Summary(path, strategy));
        return ExitCodes.Success;
    }

    internal static string Summary(string path, Strategy strategy)
    {
        var types = strategy.Variables.Values.GroupBy(v => v.Type).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        var classes = strategy.Skills.Values.GroupBy(s => s.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        var decisions = strategy.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).Distinct().Count();
        var constraints = strategy.SkillsOf<ConstraintsSkill>().Sum(c => c.Template.Count);
        return $"{path} is valid: {strategy.Variables.Count} variables ({string.Join(", ", types)}); "
            + $"{strategy.Skills.Count} skills ({string.Join(", ", classes)}); "
            + $"{strategy.Tasks.Count} tasks ({string.Join(", ", strategy.Tasks.Select(t => t.Name))}); "
            + $"{decisions} decision variables and {constraints} constraints.";
    }
}
