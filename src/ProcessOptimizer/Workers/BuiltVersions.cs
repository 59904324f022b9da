namespace ProcessOptimizer.Workers;

/// <summary>
/// The deployed versions one worker holds built, as its answers tell: for each strategy (by its pointer), the
/// version it last answered, or built when it started. The worker keeps that version until a request for another
/// version of the strategy replaces it, so a request for it has no build phase, only its solve.
/// </summary>
/// <remarks>
/// Read and written by the request that holds the worker, one at a time. What it does not know of (an inline
/// strategy, built for each request; a backtest's version, kept beside the live one but evicted as the worker sees
/// fit; a version that failed to build) it takes as a build.
/// </remarks>
internal sealed class BuiltVersions
{
    private readonly Dictionary<string, (string Version, IReadOnlyDictionary<string, string> Artifacts)> _byPointer = new(StringComparer.Ordinal);

    /// <summary>Whether the worker holds <paramref name="request"/>'s version built from exactly its artifacts.</summary>
    public bool Holds(SolveRequest request) => IsDeployed(request) && Holds(request.PointerKey, request.Version, request.Artifacts);

    /// <summary>Whether the worker holds <paramref name="version"/> of the strategy under <paramref name="pointerKey"/> built from exactly <paramref name="artifacts"/>.</summary>
    public bool Holds(string pointerKey, string version, IReadOnlyDictionary<string, string> artifacts)
    {
        if (!_byPointer.TryGetValue(pointerKey, out var built) || built.Version != version || built.Artifacts.Count != artifacts.Count)
        {
            return false;
        }

        // A loop, where a query's closure was allocated on every request for a version the worker held.
        foreach (var (key, value) in artifacts)
        {
            if (!built.Artifacts.TryGetValue(key, out var etag) || etag != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The worker answered <paramref name="request"/> with <paramref name="reply"/>, its last word on it.</summary>
    public void Answered(SolveRequest request, SolveReply reply)
    {
        if (!IsDeployed(request))
        {
            return;
        }

        if (reply.LoadError is null)
        {
            _byPointer[request.PointerKey] = (request.Version, request.Artifacts);
        }
        else
        {
            // It may still hold the version it had, or none: a build either way, as far as the service knows.
            _byPointer.Remove(request.PointerKey);
        }
    }

    private static bool IsDeployed(SolveRequest request) => request is { InlineText: null, Replay: false };
}
