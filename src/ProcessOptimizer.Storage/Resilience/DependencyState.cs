namespace ProcessOptimizer.Storage.Resilience;

/// <summary>A dependency as its last call found it: reachable, or why not and since when. Immutable; swapped whole.</summary>
public sealed record DependencyState(bool IsAvailable, string? LastError, DateTimeOffset? Since, bool IsCircuitOpen)
{
    /// <summary>Nothing has been tried yet.</summary>
    public static DependencyState Unknown { get; } = new(true, null, null, false);
}
