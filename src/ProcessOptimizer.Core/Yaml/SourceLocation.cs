namespace ProcessOptimizer.Core.Yaml;

/// <summary>A one-based line and column in a YAML document.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}, column {Column}";
}
