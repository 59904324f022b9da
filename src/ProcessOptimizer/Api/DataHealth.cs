namespace ProcessOptimizer.Api;

/// <summary>The data feed: whether cycles find fresh data, and runs waiting in the outbox for the database.</summary>
/// <param name="PendingRuns">Runs waiting for the database: <see cref="PendingOnDisk"/> plus <see cref="PendingInMemory"/>.</param>
public sealed record DataHealth(string Status, DateTimeOffset? StaleSince, int PendingRuns)
{
    /// <summary>Waiting runs in the outbox's folder, which a restart keeps.</summary>
    public int PendingOnDisk { get; init; }

    /// <summary>Waiting runs held in memory because the outbox's folder could not take them; a restart would lose them.</summary>
    public int PendingInMemory { get; init; }
}
