namespace ProcessOptimizer.Configuration;

/// <summary>The <c>App</c> and <c>Api</c> sections: what runs, and who may administer it.</summary>
public sealed class AppSettings
{
    /// <summary><c>continuous</c> (the loop), <c>api</c> (the REST API) or <c>hybrid</c> (both, the default), as in the seed.</summary>
    public string Mode { get; set; } = "hybrid";

    /// <summary><c>Api:Key</c>: admin endpoints require it in <c>X-Api-Key</c>; without one, they answer loopback clients only.</summary>
    public string? ApiKey { get; set; }

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
    }
}
