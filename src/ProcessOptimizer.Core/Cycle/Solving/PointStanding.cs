namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>An <see cref="Evaluation"/> without its point: the cost and the constraints' standing at a point the caller holds.</summary>
/// <param name="Failure">Why the steps could not be evaluated at the point, when they could not.</param>
internal readonly record struct PointStanding(double Cost, double Violation, double Excess, ConstraintViolation? MostViolated, CycleException? Failure);
