namespace ProcessOptimizer.Workers;

/// <summary>
/// The C allocator's settings a solver worker starts with. IPOPT allocates and frees thousands of small blocks in
/// every solve (vectors, cached results, its options); glibc keeps only 7 freed blocks of each size per thread
/// before it falls back to its slower shared lists. A worker solves on one thread, one solve after another, so a
/// deeper per-thread cache serves most of a solve's blocks from what the solve before freed.
/// </summary>
/// <remarks>
/// Set through the environment because glibc reads it once, when the process starts. The variable is glibc's own
/// (other C libraries ignore it); the operator's value wins for any setting it names.
/// </remarks>
internal static class WorkerAllocator
{
    public const string Variable = "GLIBC_TUNABLES";

    // Measured side by side through one worker at one client (BENCHMARKS.md): 4,096 took more off a solve than 256.
    public const string CacheCount = "glibc.malloc.tcache_count";

    public const int CacheDepth = 4096;

    /// <summary>The worker's value of <see cref="Variable"/>, given the service's own (null when unset).</summary>
    public static string Tunables(string? inherited)
    {
        var own = $"{CacheCount}={CacheDepth}";
        if (string.IsNullOrEmpty(inherited))
        {
            return own;
        }

        // glibc takes colon-separated name=value pairs.
        return inherited.Split(':').Any(pair => pair.Split('=', 2)[0].Trim() == CacheCount) ? inherited : $"{inherited}:{own}";
    }
}
