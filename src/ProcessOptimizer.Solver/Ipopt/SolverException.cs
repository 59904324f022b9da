namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>The solver could not be set up: the native library is missing, or it rejected the problem or an option.</summary>
public sealed class SolverException(string message, Exception? inner = null) : Exception(message, inner);
