namespace ProcessOptimizer.Workers;

/// <summary>Why a worker was killed and replaced.</summary>
public enum WorkerFailure
{
    /// <summary>The process ended or its channel broke.</summary>
    Crashed,

    /// <summary>Its resident memory went past <c>Solver:WorkerMemoryMB</c>.</summary>
    ExceededMemory,

    /// <summary>It did not answer within <c>Solver:KillAfterSeconds</c>.</summary>
    ExceededDeadline,
}
