using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Database;

/// <summary>How the service uses its database: call limits, pool size, and the zone of naive timestamps.</summary>
public sealed record DatabaseOptions
{
    public ResilienceOptions Resilience { get; init; } = new();

    /// <summary>
    /// PostgreSQL connections at most, unless the connection string sets <c>Maximum Pool Size</c>. A caller that finds
    /// them all busy waits at most <see cref="ResilienceOptions.Timeout"/>, then fails like any other call.
    /// </summary>
    public int MaxPoolSize { get; init; } = 10;

    /// <summary>
    /// The IANA zone in which <c>timestamp without time zone</c> values are local times. Null: the host's zone,
    /// as the original service's writer stamped rows with the host's local clock.
    /// </summary>
    public string? TimeZone { get; init; }
}
