using System.Diagnostics.Metrics;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Cycles;

/// <summary>The service's own instruments, exported at /metrics with the ASP.NET Core request metrics.</summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "ProcessOptimizer";

    private readonly Meter _meter;
    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<int> _iterations;

    public ServiceMetrics(IMeterFactory meters, ArtifactCache cache)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _cycleDuration = _meter.CreateHistogram<double>("process_optimizer.cycle.duration", "s", "Duration of optimization cycles");
        _outcomes = _meter.CreateCounter<long>("process_optimizer.cycle.outcomes", description: "Cycles by outcome");
        _iterations = _meter.CreateHistogram<int>("process_optimizer.solver.iterations", description: "IPOPT iterations per cycle");
        _meter.CreateObservableCounter("process_optimizer.cache.hits", () => cache.Stats().Select(s => new Measurement<long>(s.Hits, new KeyValuePair<string, object?>("type", s.Type))), description: "Cache hits by entry type");
        _meter.CreateObservableCounter("process_optimizer.cache.misses", () => cache.Stats().Select(s => new Measurement<long>(s.Misses, new KeyValuePair<string, object?>("type", s.Type))), description: "Cache misses by entry type");
    }

    public void Cycle(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var outcome = new KeyValuePair<string, object?>("outcome", run.Outcome.Name());
        _cycleDuration.Record(run.DurationMs / 1000, outcome);
        _outcomes.Add(1, outcome);
        if (run.Iterations is { } iterations)
        {
            _iterations.Record(iterations);
        }
    }

    public void Dispose() => _meter.Dispose();
}
