namespace ProcessOptimizer.Configuration;

/// <summary>The <c>App</c> and <c>Api</c> sections: what runs, and who may administer it.</summary>
public sealed class AppSettings
{
    /// <summary><c>continuous</c> (the loop), <c>api</c> (the REST API) or <c>hybrid</c> (both, the default), as in the seed.</summary>
    public string Mode { get; set; } = "hybrid";

    /// <summary><c>Api:Key</c>: admin endpoints require it in <c>X-Api-Key</c>; without one, they answer loopback clients only.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>Api:InlineStrategies</c>: whether <c>POST /optimize</c> accepts a whole strategy in <c>config</c>:
    /// <c>allow</c>, <c>key</c> (only with a valid <c>X-Api-Key</c>) or <c>deny</c>. Unset, it is <c>key</c> when
    /// <c>Api:Key</c> is set and <c>allow</c> otherwise.
    /// </summary>
    public string? InlineStrategies { get; set; }

    /// <summary><c>Api:MaxSolveSeconds</c>: wall-clock time one <c>/optimize</c> request may hold the solver.</summary>
    public int ApiMaxSolveSeconds { get; set; } = 10;

    /// <summary><c>Api:MaxQueuedRequests</c>: <c>/optimize</c> requests that may wait for the solver; more get 503.</summary>
    public int ApiMaxQueuedRequests { get; set; } = 4;

    /// <summary>The inline-strategy rule in force.</summary>
    public string InlineStrategyRule => InlineStrategies ?? (ApiKey is { Length: > 0 } ? "key" : "allow");

    /// <summary><c>Demo:Replay</c>: append the next example row every minute. Null means on only for the embedded defaults.</summary>
    public bool? Replay { get; set; }

    /// <summary><c>Logging:Json</c>: JSON console logs instead of single lines.</summary>
    public bool JsonLogs { get; set; }

    public bool RunsLoop => Mode is "continuous" or "hybrid";

    public bool ServesApi => Mode is "api" or "hybrid";

    public IEnumerable<string> Problems()
    {
        if (Mode is not ("continuous" or "api" or "hybrid"))
        {
            yield return $"App:Mode must be 'continuous', 'api' or 'hybrid' (got '{Mode}')";
        }

        if (InlineStrategies is not (null or "allow" or "key" or "deny"))
        {
            yield return $"Api:InlineStrategies must be 'allow', 'key' or 'deny' (got '{InlineStrategies}')";
        }

        if (InlineStrategies == "key" && ApiKey is not { Length: > 0 })
        {
            yield return "Api:InlineStrategies is 'key' but no Api:Key is set";
        }

        if (ApiMaxSolveSeconds < 1)
        {
            yield return $"Api:MaxSolveSeconds must be at least 1 (got {ApiMaxSolveSeconds})";
        }

        if (ApiMaxQueuedRequests < 0)
        {
            yield return $"Api:MaxQueuedRequests must be 0 or more (got {ApiMaxQueuedRequests})";
        }
    }
}
