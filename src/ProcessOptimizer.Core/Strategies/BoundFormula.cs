using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>
/// A MathFunction's formula compiled against the strategy: weights and thresholds are folded in as
/// constants, and the argument slots are the dof values of <see cref="DofVariables"/> (differentiated)
/// followed by the current values of <see cref="CurrentVariables"/>.
/// </summary>
public sealed record BoundFormula(CompiledFormula Formula, IReadOnlyList<string> DofVariables, IReadOnlyList<string> CurrentVariables);
