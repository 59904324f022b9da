namespace ProcessOptimizer.Workers;

/// <summary>Why a worker was killed and replaced.</summary>
public enum WorkerFailure
{
    /// <summary>The process ended or its channel broke.</summary>
    Crashed,

    /// <summary>Its resident memory went past <c>Solver:WorkerMemoryMB</c>.</summary>
    ExceededMemory,

    /// <summary>
    /// Its solve had begun and it did not answer by the solve's deadline and <see cref="WorkerPool.AnswerGrace"/>, or it
    /// did not answer within <c>Solver:KillAfterSeconds</c> of the request (building the strategy included).
    /// </summary>
    ExceededDeadline,
}
