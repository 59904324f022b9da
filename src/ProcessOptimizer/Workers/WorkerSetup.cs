using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The first message to a new worker: the service's <c>Storage</c> section (JSON) without where the store is or
/// how to reach it, since a worker builds strategies only from artifacts the service sends; what it uses are the
/// strategy size limits and the pointer's key.
/// </summary>
[MessagePackObject]
public sealed record WorkerSetup(
    [property: Key(0)] int Protocol,
    [property: Key(1)] string StorageJson) : IWorkerMessage;
