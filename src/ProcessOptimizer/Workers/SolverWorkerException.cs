namespace ProcessOptimizer.Workers;

/// <summary>A solve was lost with its worker; only this request failed, and the worker was replaced.</summary>
public sealed class SolverWorkerException(WorkerFailure reason, string detail) : Exception(Describe(reason) + ": " + detail)
{
    public WorkerFailure Reason { get; } = reason;

    /// <summary>What happened, without the reason's words that begin the message.</summary>
    public string Detail { get; } = detail;

    /// <summary>The reason in the words of runs and answers: "solver worker crashed", ...</summary>
    public static string Describe(WorkerFailure reason) => reason switch
    {
        WorkerFailure.ExceededMemory => "solver worker exceeded memory",
        WorkerFailure.ExceededDeadline => "solver worker exceeded deadline",
        _ => "solver worker crashed",
    };
}
