namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// The one definition of "meets the constraints", used to choose among candidate points, for the status and
/// in what is reported: a constraint value may pass its bound by at most 1e-6 of the bound's magnitude (of 1
/// for bounds smaller than 1). IPOPT's own tolerances are looser (<c>constr_viol_tol</c> is 1e-4), so a point
/// it calls converged is still checked.
/// </summary>
internal static class FeasibilityRule
{
    public const double Tolerance = 1e-6;

    /// <summary>
    /// How far <paramref name="value"/> lies outside [<paramref name="lower"/>, <paramref name="upper"/>] beyond the
    /// tolerance, relative to the bound's magnitude: 0 when it meets the rule, NaN for NaN.
    /// </summary>
    public static double ScaledExcess(double value, double lower, double upper)
    {
        if (double.IsNaN(value))
        {
            return double.NaN;
        }

        var below = double.IsFinite(lower) ? (lower - value) / Math.Max(1, Math.Abs(lower)) : double.NegativeInfinity;
        var above = double.IsFinite(upper) ? (value - upper) / Math.Max(1, Math.Abs(upper)) : double.NegativeInfinity;
        return Math.Max(0, Math.Max(below, above) - Tolerance);
    }
}
