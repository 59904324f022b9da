using MessagePack;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Workers;

/// <summary>The artifacts a worker said it lacked, as the service loaded them, ETags included.</summary>
[MessagePackObject]
public sealed record WorkerArtifacts(
    [property: Key(0)] int Protocol,
    [property: Key(1)] IReadOnlyList<StoredArtifact> Artifacts) : IWorkerMessage;
