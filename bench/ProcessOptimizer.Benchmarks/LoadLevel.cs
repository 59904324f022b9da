namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// What one load level measured: latencies in milliseconds, throughput in requests per second, and the load
/// client's own CPU milliseconds per request.
/// </summary>
internal sealed record LoadLevel(int Requests, double P50, double P99, double PerSecond, int Failures, double ClientCpuMs);
