namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// Tests that count a host's metrics: run alone, after every collection that runs in parallel, so that no other host
/// in this test process feeds or ends the series they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics, alone";
}
