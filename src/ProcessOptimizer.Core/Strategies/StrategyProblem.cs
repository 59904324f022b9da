using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Something wrong (or, for a warning, worth knowing) about a strategy file, with where it is.</summary>
public sealed record StrategyProblem(string Message, SourceLocation? Location, bool IsWarning = false)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(IsWarning ? "warning" : "error")}{(Location is { } l ? $" at {l}" : "")}: {Message}";
}
