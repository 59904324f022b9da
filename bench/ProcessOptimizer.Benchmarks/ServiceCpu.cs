namespace ProcessOptimizer.Benchmarks;

/// <summary>CPU milliseconds of a service and of its solver workers (its child processes), or a difference or share of them.</summary>
internal readonly record struct ServiceCpu(double ServiceMs, double WorkersMs)
{
    /// <summary>What the service and its workers have used so far; a worker replaced since is not counted.</summary>
    public static ServiceCpu Of(int service) =>
        new(1000 * (ProcStat.CpuSeconds(service) ?? 0), 1000 * ProcStat.Children(service).Sum(w => ProcStat.CpuSeconds(w) ?? 0));

    public static ServiceCpu operator -(ServiceCpu after, ServiceCpu before) => new(after.ServiceMs - before.ServiceMs, after.WorkersMs - before.WorkersMs);

    public static ServiceCpu operator +(ServiceCpu a, ServiceCpu b) => new(a.ServiceMs + b.ServiceMs, a.WorkersMs + b.WorkersMs);

    public static ServiceCpu operator /(ServiceCpu total, int requests) => new(total.ServiceMs / requests, total.WorkersMs / requests);
}
