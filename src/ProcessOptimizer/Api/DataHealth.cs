namespace ProcessOptimizer.Api;

/// <summary>The data feed: whether cycles find fresh data, and runs waiting in the outbox for the database.</summary>
public sealed record DataHealth(string Status, DateTimeOffset? StaleSince, int PendingRuns);
