using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Sent by a worker whose solve (begun once the request's strategy was built) has run a little while, before the
/// answer (<see cref="SolveNotice"/>). The solve's deadline counts from its start, in the worker as in-process, and
/// the service kills a worker that has not answered by that deadline and <see cref="WorkerPool.AnswerGrace"/>;
/// until told, it takes the worker to be building, unless the request is for a version the worker holds built
/// (<see cref="BuiltVersions"/>), whose deadline counts from the sending.
/// </summary>
/// <param name="RanTicks">How long the solve had run when this was sent, in <see cref="TimeSpan"/> ticks.</param>
[MessagePackObject]
public sealed record SolveStarted([property: Key(0)] int Protocol, [property: Key(1)] long RanTicks) : IWorkerAnswer;
