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

    /// <summary>What the record says in words (the error, or the most violated constraint and the warnings), joined by "; ".</summary>
    public string? Message { get; init; }

    /// <summary>
    /// <see cref="Message"/> item by item, so that an item that contains "; " stays one item; null for a run stored
    /// before the items were kept apart, whose message is all there is.
    /// </summary>
    public IReadOnlyList<string>? MessageItems { get; init; }

    /// <summary>This record saying <paramref name="items"/>: each kept apart, and joined into <see cref="Message"/> (null when there are none).</summary>
    public RunRecord Saying(IReadOnlyList<string> items) => this with { Message = items.Count > 0 ? string.Join("; ", items) : null, MessageItems = items };

    public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];
}
