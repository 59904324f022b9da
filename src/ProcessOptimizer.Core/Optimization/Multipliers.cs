namespace ProcessOptimizer.Core.Optimization;

/// <summary>A solution's Lagrange multipliers: of the constraints, and of the variables' lower and upper bounds.</summary>
public sealed record Multipliers(double[] Constraints, double[] Lower, double[] Upper);
