namespace ProcessOptimizer.Core.Runs;

/// <summary>
/// One cycle as stored: which strategy and model artifact versions produced it, from which data, what the
/// solver said, and what it recommended.
/// </summary>
public sealed record RunRecord
{
    public long Id { get; init; }

    /// <summary>
    /// Unique per run, given before the first attempt to store it: storing a run whose key is already stored
    /// returns that run's id, so a run replayed after an uncertain failure is never stored twice.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>
    /// For a loop run that consumed its data: unique per (strategy, data timestamp), so that no two runs of a
    /// strategy consume the same row, whichever replica or firing made them. Null for other runs.
    /// </summary>
    public string? DataKey { get; init; }

    public required string StrategyName { get; init; }

    /// <summary>The service instance that ran the cycle (its scheduler instance id), when known.</summary>
    public string? Node { get; init; }

    public required string StrategyVersion { get; init; }

    /// <summary>ETag of every model artifact used, by key.</summary>
    public IReadOnlyDictionary<string, string> ModelVersions { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset? DataTimestamp { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public double DurationMs => (FinishedAt - StartedAt).TotalMilliseconds;

    public required RunOutcome Outcome { get; init; }

    public string? SolverStatus { get; init; }

    public int? Iterations { get; init; }

    public double? Cost { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];
}
