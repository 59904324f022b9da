using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Sent by a worker once the request's strategy is built and its solve begins, before the answer. From then the
/// solve's deadline counts, in the worker as in-process, and the service kills a worker that has not answered by
/// that deadline and <see cref="WorkerPool.AnswerGrace"/>; before it, the worker is starting or building.
/// </summary>
[MessagePackObject]
public sealed record SolveStarted([property: Key(0)] int Protocol) : IWorkerAnswer;
