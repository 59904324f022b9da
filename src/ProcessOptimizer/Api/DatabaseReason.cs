using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Api;

/// <summary>What <c>/health</c> says is wrong with the database, or null when nothing is.</summary>
internal static class DatabaseReason
{
    /// <param name="observed">The guard's state as health sees it: a probe that has not answered in time makes it unavailable.</param>
    /// <param name="migrated">Whether the service's tables are there.</param>
    /// <param name="readOnly">Why the database takes no writes, as the last probe that answered found it; null when it takes them.</param>
    /// <param name="schemaError">Why the tables are not there, when known.</param>
    public static string? Of(DependencyState observed, bool migrated, string? readOnly, string? schemaError)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.IsAvailable && !observed.IsCircuitOpen)
        {
            return migrated ? readOnly : schemaError ?? "the schema is not created yet";
        }

        // A read-only database whose probe is slow for a moment (a loaded machine) or whose write timed out is still
        // read-only: the lasting cause stays named beside the passing one, instead of the reason flapping between them.
        return (observed.LastError, readOnly) switch
        {
            (null, var cause) => cause,
            (var latest, null) => latest,
            var (latest, cause) => $"{latest}; when it last answered, {cause}",
        };
    }
}
