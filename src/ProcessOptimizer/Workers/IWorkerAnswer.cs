using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>
/// What a worker sends the service about a request: word that its solve has begun, then the answer. Read as one
/// type, so that the service's reader takes whichever comes next.
/// </summary>
[Union(0, typeof(SolveReply))]
[Union(1, typeof(SolveStarted))]
public interface IWorkerAnswer : IWorkerMessage;
