namespace ProcessOptimizer.Core.Runs;

/// <summary>The record of every cycle. Writes are atomic: a run is stored whole, with its recommendations, or not at all.</summary>
public interface IRunStore
{
    /// <returns>The stored run's id; for a run whose key is stored already, that run's id, marked a duplicate, and nothing is written.</returns>
    Task<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Stores several runs in one transaction: all of them, or none when it fails.</summary>
    /// <returns>One save per run, in order, as <see cref="SaveAsync"/> returns it; a later run with an earlier one's key is its duplicate.</returns>
    Task<IReadOnlyList<RunSave>> SaveAllAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken);

    Task<RunRecord?> LatestAsync(string? strategyName, CancellationToken cancellationToken);

    /// <param name="strategyName">Only runs stored under this name; null for every run.</param>
    Task<IReadOnlyList<RunRecord>> RangeAsync(DateTimeOffset from, DateTimeOffset to, int limit, string? strategyName, CancellationToken cancellationToken);

    Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes runs stored under <paramref name="strategyName"/>, with their recommendations, beyond the newest
    /// <paramref name="keepRows"/> (by id, the order they were stored) and those started before
    /// <paramref name="startedBefore"/>. Runs under any other name are never touched.
    /// </summary>
    /// <param name="keepRows">How many of the newest runs to keep; null for no limit on rows.</param>
    /// <param name="startedBefore">Older runs are deleted; null for no limit on age.</param>
    /// <returns>How many runs were deleted.</returns>
    Task<int> PruneAsync(string strategyName, int? keepRows, DateTimeOffset? startedBefore, CancellationToken cancellationToken);

    /// <summary>The newest data timestamp a run of this strategy consumed: the seed's last-run timestamp.</summary>
    Task<DateTimeOffset?> LastRunTimestampAsync(string strategyName, CancellationToken cancellationToken);
}
