using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Strategies;

/// <summary>How a stored version's solver options are checked: by the solver itself, which needs its library.</summary>
internal static class SolverOptionCheck
{
    /// <remarks>
    /// Without the library no option can be checked. That is this version's problem, named at the option's line with
    /// the library, as any refused option is: a version that does not load leaves the service running and says why.
    /// Thrown on, it stopped the service's start. A version without options needs no check and still loads.
    /// </remarks>
    public static Func<string, object, string?> Of(INonlinearSolver solver) => (name, value) =>
    {
        try
        {
            return solver.ValidateOption(name, value);
        }
        catch (SolverUnavailableException ex)
        {
            return $"cannot be checked: {ex.Message}";
        }
    };
}
