using System.Diagnostics.Metrics;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Workers;

/// <summary>The pool's instruments at /metrics, read from the pool whenever they are scraped.</summary>
internal static class WorkerInstruments
{
    public static void Register(IMeterFactory meters, WorkerPool pool)
    {
        var meter = meters.Create(ServiceMetrics.MeterName);
        meter.CreateObservableGauge("process_optimizer.workers.alive", () => pool.Workers.Count(w => w.Pid is not null), description: "Solver worker processes running");
        meter.CreateObservableGauge("process_optimizer.workers.busy", () => pool.Workers.Count(w => w.Busy), description: "Solver workers solving now");
        meter.CreateObservableGauge("process_optimizer.workers.queue", () => pool.Waiting, description: "Solves waiting for a free worker");
        meter.CreateObservableCounter("process_optimizer.workers.busy_time", () => pool.BusyTime.TotalSeconds, "s", "Time workers spent solving, summed over workers");
        meter.CreateObservableCounter("process_optimizer.workers.warm_ups", () => pool.WarmUps, description: "Solves new workers ran, and threw away, before their first request");
        meter.CreateObservableCounter("process_optimizer.workers.warm_up_time", () => pool.WarmUpTime.TotalSeconds, "s", "Time the warm-up solves took, summed over workers");
        meter.CreateObservableCounter("process_optimizer.workers.restarts", () => Enum.GetValues<WorkerFailure>().Select(r => new Measurement<long>(pool.Restarts(r), new KeyValuePair<string, object?>("reason", SolverWorkerException.Describe(r)))), description: "Workers killed and replaced, by reason");
        meter.CreateObservableGauge("process_optimizer.workers.resident_memory", () => pool.ResidentBytes.Select((b, i) => new Measurement<long>(b, new KeyValuePair<string, object?>("worker", i))), "By", "Resident memory of each worker");
    }
}
