using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Loads strategy YAML in the seed's format: read, validate everything, then hand out an immutable strategy.</summary>
public static class StrategyLoader
{
    /// <summary>Reads and validates <paramref name="yaml"/>, collecting every problem.</summary>
    /// <param name="validateSolverOption">Checks a <c>solver_options</c> entry against the solver; null skips the check.</param>
    /// <param name="limits">Size limits; null for the defaults of a stored strategy.</param>
    /// <returns>The strategy (null when there are errors) and every problem, warnings included.</returns>
    public static (Strategy? Strategy, IReadOnlyList<StrategyProblem> Problems) Read(string yaml, Func<string, object, string?>? validateSolverOption = null, StrategyLimits? limits = null)
    {
        var problems = new ProblemList();
        YamlNode root;
        try
        {
            root = YamlReader.Read(yaml);
        }
        catch (YamlFormatException ex)
        {
            problems.Error(ex.Location, $"malformed YAML: {ex.Problem}");
            return (null, problems.Items);
        }

        limits ??= new StrategyLimits();
        var reader = new StrategyReader(problems, limits);
        var strategy = reader.Read(root);
        if (problems.HasErrors && reader.TooLarge)
        {
            // Cross-references are not checked on a strategy refused for its size: that work is what the limit prevents.
            return (null, problems.Items);
        }

        new StrategyValidator(strategy, reader.Map, problems, validateSolverOption, limits).Validate();
        return (problems.HasErrors ? null : strategy, problems.Items);
    }

    /// <summary>Like <see cref="Read"/>, but throws when there is any error.</summary>
    /// <exception cref="StrategyLoadException">The strategy has errors; the exception lists all of them.</exception>
    public static Strategy Load(string yaml, string source, Func<string, object, string?>? validateSolverOption = null)
    {
        var (strategy, problems) = Read(yaml, validateSolverOption);
        return strategy ?? throw new StrategyLoadException(source, problems);
    }
}
