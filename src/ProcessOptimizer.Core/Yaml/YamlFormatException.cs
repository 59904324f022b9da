namespace ProcessOptimizer.Core.Yaml;

/// <summary>The text is not well-formed YAML.</summary>
public sealed class YamlFormatException(string problem, SourceLocation location)
    : Exception($"{location}: {problem}")
{
    public string Problem { get; } = problem;

    public SourceLocation Location { get; } = location;
}
