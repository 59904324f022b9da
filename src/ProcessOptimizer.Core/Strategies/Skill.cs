using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>A named skill of a strategy, with the inputs and outputs it declares.</summary>
public abstract record Skill(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location)
{
    /// <summary>The seed's class name, such as <c>MathFunction</c>.</summary>
    public abstract string ClassName { get; }
}
