using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>Runs a compiled strategy over one cycle's data, as the seed does, with IPOPT in place of SciPy.</summary>
public sealed class CycleRunner(INonlinearSolver solver)
{
    /// <summary>Runs every task in order and returns the result.</summary>
    /// <remarks>
    /// Bad data, formula and model failures, and a solver that cannot be set up, come back as a result with status
    /// <see cref="CycleStatus.Error"/> and no moves. A solver that does not converge gives Infeasible or
    /// SolverFailed, also with no moves.
    /// </remarks>
    public CycleResult Run(CompiledStrategy strategy, CycleInput input, SolverSettings settings, CancellationToken cancellationToken) =>
        Run(strategy, input, settings, null, cancellationToken);

    /// <summary>
    /// Runs every task as <see cref="Run(CompiledStrategy, CycleInput, SolverSettings, CancellationToken)"/> does, but
    /// each optimizer evaluates <paramref name="point"/> (decision variables by name; others keep their current value)
    /// instead of solving. The result's recommendations, predictions and cost are those at the point.
    /// </summary>
    /// <remarks>A point where a formula or model cannot be evaluated gives a result with status <see cref="CycleStatus.Error"/>.</remarks>
    public CycleResult Evaluate(CompiledStrategy strategy, CycleInput input, IReadOnlyDictionary<string, double> point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(point);
        var byIndex = point.Where(p => strategy.Definition.Variables.ContainsKey(p.Key)).ToDictionary(p => strategy.Index(p.Key), p => p.Value);
        return Run(strategy, input, new SolverSettings(), byIndex, cancellationToken);
    }

    private CycleResult Run(CompiledStrategy strategy, CycleInput input, SolverSettings settings, IReadOnlyDictionary<int, double>? point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        var window = input.Window;
        DateTimeOffset? timestamp = window.Count > 0 ? window.Timestamp(window.Count - 1) : null;
        // Given back by the run once its result is built; a cycle that throws leaves it to the collector.
        var scratch = strategy.Scratch.Get();
        var warnings = scratch.Warnings;
        WindowValues.AddNonFiniteWarnings(strategy, input, warnings);
        try
        {
            var state = VariableState.Initialize(strategy, input);
            var result = new CycleRun(strategy, state, scratch, solver, settings, cancellationToken, timestamp, point).Execute();
            // The result holds values, not the state; a cycle that threw leaves its state to the collector.
            state.Return();
            return result;
        }
        catch (CycleException ex)
        {
            return Failed(timestamp, ex.Message, ex.Failure, warnings);
        }
        catch (SolverException ex)
        {
            // Found only when the solve starts (an option IPOPT refuses, say): this cycle's error, with IPOPT's reason.
            return Failed(timestamp, ex.Message, CycleFailure.Solver, warnings);
        }
    }

    private static CycleResult Failed(DateTimeOffset? timestamp, string error, CycleFailure failure, CycleWarnings warnings) => new()
    {
        Status = CycleStatus.Error,
        DataTimestamp = timestamp,
        Error = error,
        ErrorType = failure,
        Warnings = warnings.ToResult(),
    };
}
