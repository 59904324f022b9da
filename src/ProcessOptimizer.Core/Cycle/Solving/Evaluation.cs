namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// The cost and the constraints' standing at one point, copied out of the state they were computed in: nothing
/// evaluated later can change them.
/// </summary>
/// <param name="Violation">The largest amount by which a constraint value lies outside its range (0 when none does), as reported.</param>
/// <param name="Excess">The largest excess over <see cref="FeasibilityRule"/>, by which infeasible points are ranked; 0 when feasible.</param>
/// <param name="Failure">Why the steps could not be evaluated at <see cref="X"/>, when they could not.</param>
/// <remarks>A value: one is made per point a search keeps, and its point is the one array it owns.</remarks>
internal readonly record struct Evaluation(double[] X, double Cost, double Violation, double Excess, ConstraintViolation? MostViolated, CycleException? Failure)
{
    public bool IsFeasible => Failure is null && Excess == 0 && double.IsFinite(Cost);
}
