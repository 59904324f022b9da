namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// The solver could not be set up: the native library is missing, or it rejected the problem or an option. A
/// cycle reports it as an error naming the solver's reason (<see cref="Cycle.CycleFailure.Solver"/>).
/// </summary>
public sealed class SolverException(string message, Exception? inner = null) : Exception(message, inner);
