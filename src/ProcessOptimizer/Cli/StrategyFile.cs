using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Cli;

/// <summary>Reads a strategy file and validates it, solver options included, against the solver in use.</summary>
internal static class StrategyFile
{
    public static (Strategy? Strategy, IReadOnlyList<StrategyProblem> Problems) Read(string path, INonlinearSolver solver)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"strategy file '{path}' does not exist");
        }

        return StrategyLoader.Read(File.ReadAllText(path), solver.ValidateOption);
    }

    public static void WriteProblems(TextWriter error, string path, IEnumerable<StrategyProblem> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"{path}: {problem}");
        }
    }

    /// <summary>Every model artifact the strategy names that is missing from a local store folder.</summary>
    public static IEnumerable<string> MissingArtifacts(Strategy strategy, string store)
    {
        foreach (var model in strategy.SkillsOf<InferenceModelSkill>())
        {
            foreach (var key in model.ArtifactKeys)
            {
                if (!File.Exists(Path.Combine(store, key)))
                {
                    yield return $"skill '{model.Name}': '{key}' is not in store '{store}'";
                }
            }
        }
    }
}
