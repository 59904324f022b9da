namespace ProcessOptimizer.Cycles;

/// <summary>Where a run went: stored with its id, or waiting in the outbox to be stored when the database is back.</summary>
public sealed record RunReceipt(long? Id, bool Pending);
