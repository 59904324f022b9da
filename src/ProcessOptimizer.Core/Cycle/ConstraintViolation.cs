namespace ProcessOptimizer.Core.Cycle;

/// <summary>The most violated constraint at the solver's last point, and by how much it misses its range.</summary>
public sealed record ConstraintViolation(string Variable, double Value, double OpMin, double OpMax, double Amount);
