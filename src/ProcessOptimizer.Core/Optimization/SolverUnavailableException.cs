namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// The solver cannot run on this machine at all (its native library is not installed): no solve, and no check of a
/// solver option, can be made until an operator installs it. Not a cycle's or a strategy's fault, and not transient.
/// </summary>
public sealed class SolverUnavailableException(string message) : Exception(message);
