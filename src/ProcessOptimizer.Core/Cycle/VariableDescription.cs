using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>What a <see cref="VariableResult"/> says of its variable besides its values: fixed per compiled strategy.</summary>
internal sealed record VariableDescription(string Name, VariableType Type, string Units, string Category);
