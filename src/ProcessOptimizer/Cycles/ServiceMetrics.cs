using System.Diagnostics.Metrics;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cycles;

/// <summary>The service's own instruments, exported at /metrics with the ASP.NET Core request metrics.</summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "ProcessOptimizer";

    private readonly Meter _meter;
    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<int> _iterations;

    public ServiceMetrics(IMeterFactory meters, StrategyCatalog strategies, RunRecorder recorder, RunOutbox outbox, DependencyGuards guards)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _cycleDuration = _meter.CreateHistogram<double>("process_optimizer.cycle.duration", "s", "Duration of optimization cycles");
        _outcomes = _meter.CreateCounter<long>("process_optimizer.cycle.outcomes", description: "Cycles by outcome");
        _iterations = _meter.CreateHistogram<int>("process_optimizer.solver.iterations", description: "IPOPT iterations per cycle");
        _meter.CreateObservableCounter("process_optimizer.cache.hits", () => CacheStats(strategies, s => s.Hits), description: "Cache hits by strategy and entry type");
        _meter.CreateObservableGauge("process_optimizer.outbox.pending", () => recorder.Pending, description: "Runs waiting in the local outbox for the database");
        _meter.CreateObservableGauge("process_optimizer.outbox.held", () => outbox.Held, description: "Runs held in memory because the outbox folder cannot take them (lost if the process ends); part of the pending ones");
        _meter.CreateObservableGauge("process_optimizer.circuit.open", () => guards.All.Select(g => new Measurement<int>(g.IsCircuitOpen ? 1 : 0, new KeyValuePair<string, object?>("dependency", g == guards.Store ? "store" : "database"))), description: "1 while a dependency's circuit is open");
        _meter.CreateObservableCounter("process_optimizer.cache.misses", () => CacheStats(strategies, s => s.Misses), description: "Cache misses by strategy and entry type");
    }

    public void Cycle(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var strategy = new KeyValuePair<string, object?>("strategy", run.StrategyName);
        var outcome = new KeyValuePair<string, object?>("outcome", run.Outcome.Name());
        _cycleDuration.Record(run.DurationMs / 1000, strategy, outcome);
        _outcomes.Add(1, strategy, outcome);
        if (run.Iterations is { } iterations)
        {
            _iterations.Record(iterations, strategy);
        }
    }

    /// <summary>A cycle that threw instead of ending with a recorded outcome.</summary>
    public void CycleThrew(string strategy) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("outcome", "exception"));

    /// <summary>A slot of the cluster's schedule that fired too late to run, and was skipped.</summary>
    public void SlotSkipped(string strategy) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("outcome", "skipped-late"));

    private static IEnumerable<Measurement<long>> CacheStats(StrategyCatalog strategies, Func<CacheEntryStats, long> value) =>
        strategies.All.SelectMany(s => s.Cache.Stats().Select(e => new Measurement<long>(
            value(e), new KeyValuePair<string, object?>("strategy", s.Name), new KeyValuePair<string, object?>("type", e.Type))));

    public void Dispose() => _meter.Dispose();
}
