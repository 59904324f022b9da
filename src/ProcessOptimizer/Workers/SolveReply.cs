using MessagePack;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Workers;

/// <summary>A worker's answer: the cycle's result, or why the strategy could not be loaded there.</summary>
[MessagePackObject]
public sealed record SolveReply(
    [property: Key(0)] int Protocol,
    [property: Key(1)] CycleResult? Result,
    [property: Key(2)] string? LoadError) : IWorkerMessage;
