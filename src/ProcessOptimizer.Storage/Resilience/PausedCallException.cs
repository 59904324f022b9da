namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// A call to a dependency that failed only because this process was not running while it waited (stopped with
/// SIGSTOP, or frozen with its virtual machine): retried by the guard, never counted against the dependency, and
/// never seen outside the guard.
/// </summary>
internal sealed class PausedCallException(string message, Exception inner) : Exception(message, inner);
