namespace ProcessOptimizer.Benchmarks;

/// <summary>What one load level measured: latencies in milliseconds, throughput in requests per second.</summary>
internal sealed record LoadLevel(int Requests, double P50, double P99, double PerSecond, int Failures);
