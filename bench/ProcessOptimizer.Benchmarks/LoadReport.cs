using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>POST /optimize</c> latency and throughput against a running service, from this (second) process on
/// loopback: a bounded number of requests per client count, each request the kiln window as JSON rows.
/// </summary>
internal static class LoadReport
{
    public static async Task RunAsync(string baseUrl, int requestsPerLevel)
    {
        var body = Body();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        await WarmAsync(http, body, TimeSpan.FromSeconds(20));

        Console.WriteLine("| clients | requests | p50 ms | p99 ms | requests/s | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var clients in new[] { 1, 8, 32 })
        {
            var level = await MeasureAsync(http, body, clients, requestsPerLevel);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {level.Requests} | {level.P50:F1} | {level.P99:F1} | {level.PerSecond:F0} | {level.Failures} |"));
        }
    }

    /// <summary>One load level: <paramref name="clients"/> clients sharing <paramref name="requests"/> requests.</summary>
    public static async Task<LoadLevel> MeasureAsync(HttpClient http, string body, int clients, int requests)
    {
        var latencies = new List<double>();
        var failures = 0;
        var next = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests && wall.Elapsed < TimeSpan.FromMinutes(2))
            {
                var started = Stopwatch.GetTimestamp();
                var response = await http.PostAsync("/optimize", Content(body));
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(elapsed);
                    failures += response.IsSuccessStatusCode ? 0 : 1;
                }
            }
        }));
        wall.Stop();
        latencies.Sort();
        return new LoadLevel(latencies.Count, latencies[latencies.Count / 2], latencies[Math.Min(latencies.Count - 1, latencies.Count * 99 / 100)], latencies.Count / wall.Elapsed.TotalSeconds, failures);
    }

    /// <summary>Warms the service: the JIT keeps recompiling hot methods for several seconds of load.</summary>
    public static async Task WarmAsync(HttpClient http, string body, TimeSpan duration)
    {
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (warm.Elapsed < duration)
            {
                (await http.PostAsync("/optimize", Content(body))).EnsureSuccessStatusCode();
            }
        }));
    }

    private static StringContent Content(string body) => new(body, Encoding.UTF8, "application/json");

    public static string Body()
    {
        var lines = File.ReadAllLines(Repository.KilnWindow);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var data = string.Join(",", header.Skip(1).Zip(cells.Skip(1)).Select(p => $"\"{p.First}\":{p.Second}"));
            return $"{{\"timestamp\":\"{cells[0]}\",\"data\":{{{data}}}}}";
        });
        return $"{{\"input_data\":[{string.Join(",", rows)}]}}";
    }
}
