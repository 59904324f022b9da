namespace ProcessOptimizer.Storage.Resilience;

/// <summary>How long one call to a dependency may take, how often a transient failure is retried, and how long a tripped circuit stays open.</summary>
public sealed record ResilienceOptions
{
    /// <summary>Each attempt is cancelled after this long: a hung server is then a failed call, not a blocked caller.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a transient failure (never of a timeout: a hung server does not answer a second time either).</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>After repeated failures, calls fail at once for this long; then one call probes the dependency.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(10);
}
