namespace ProcessOptimizer.Cycles;

/// <summary>
/// Where a run went: stored with its id, or waiting in the outbox to be stored when the database is back.
/// <see cref="Duplicate"/> says a run with the same key was stored before (another firing of the same cycle), so this one wrote nothing.
/// </summary>
public sealed record RunReceipt(long? Id, bool Pending, bool Duplicate = false);
