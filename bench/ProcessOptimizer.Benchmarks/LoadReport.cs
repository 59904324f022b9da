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
        // Warm: the JIT keeps recompiling hot methods (instrumented, then optimized tiers) for several seconds of
        // load, which a few requests do not cover.
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (warm.Elapsed < TimeSpan.FromSeconds(20))
            {
                (await http.PostAsync("/optimize", Content(body))).EnsureSuccessStatusCode();
            }
        }));

        Console.WriteLine("| clients | requests | p50 ms | p99 ms | requests/s | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var clients in new[] { 1, 8, 32 })
        {
            var latencies = new List<double>();
            var failures = 0;
            var next = 0;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= requestsPerLevel && wall.Elapsed < TimeSpan.FromMinutes(2))
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
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {latencies.Count} | {latencies[latencies.Count / 2]:F1} | {latencies[Math.Min(latencies.Count - 1, latencies.Count * 99 / 100)]:F1} | {latencies.Count / wall.Elapsed.TotalSeconds:F0} | {failures} |"));
        }
    }

    private static StringContent Content(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Body()
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
