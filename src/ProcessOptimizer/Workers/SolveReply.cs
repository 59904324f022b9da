using MessagePack;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Workers;

/// <summary>A worker's answer: the cycle's result, why the strategy could not be built there, or which artifacts it lacks.</summary>
/// <param name="Missing">Keys of the request's artifacts the worker does not hold at their ETag; the service answers with <see cref="WorkerArtifacts"/>.</param>
[MessagePackObject]
public sealed record SolveReply(
    [property: Key(0)] int Protocol,
    [property: Key(1)] CycleResult? Result,
    [property: Key(2)] string? LoadError,
    [property: Key(3)] IReadOnlyList<string>? Missing = null) : IWorkerAnswer;
