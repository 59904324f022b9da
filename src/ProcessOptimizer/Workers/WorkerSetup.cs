using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>The first message to a new worker: where strategies and models live, as the service's <c>Storage</c> section (JSON).</summary>
[MessagePackObject]
public sealed record WorkerSetup(
    [property: Key(0)] int Protocol,
    [property: Key(1)] string StorageJson) : IWorkerMessage;
