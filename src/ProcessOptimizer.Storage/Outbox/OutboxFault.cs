namespace ProcessOptimizer.Storage.Outbox;

/// <summary>Why the outbox folder cannot be written, and since when: kept until a write succeeds again.</summary>
public sealed record OutboxFault(string Reason, DateTimeOffset Since);
