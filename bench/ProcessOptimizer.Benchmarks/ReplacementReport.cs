using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The first request after a worker is replaced: builds side by side, each with one worker, taken in turn (the
/// order swapped every round). A round freezes the worker (SIGSTOP), sends a request, kills the worker (SIGKILL)
/// with the request on it, waits until <c>/health</c> counts a worker alive again, and then times one request and
/// the next. The replacement's CPU time during each request is read from <c>/proc</c>, a figure a loaded machine
/// moves far less than the wall time.
/// </summary>
internal static class ReplacementReport
{
    public static async Task RunAsync(IReadOnlyList<string> serviceDlls, int rounds)
    {
        var loads = new List<string> { ProcStat.LoadAverage() };
        var services = new List<(Process Process, string Url)>();
        try
        {
            foreach (var dll in serviceDlls)
            {
                services.Add(await ServiceProcess.StartApiAsync(dll, 1));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
            var body = new ByteArrayContent(LoadReport.Body()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            var figures = serviceDlls.Select(_ => new List<(double Ready, double FirstMs, double FirstCpu, double NextMs, double NextCpu)>()).ToArray();
            var failures = new int[serviceDlls.Count];
            for (var round = 0; round < rounds; round++)
            {
                foreach (var i in round % 2 == 0 ? Enumerable.Range(0, services.Count) : Enumerable.Range(0, services.Count).Reverse())
                {
                    var (process, url) = services[i];
                    // Warm before the kill, so that the worker killed is one that served (a loaded machine may answer
                    // one 503 "not ready" first).
                    for (var ok = 0; ok < 5;)
                    {
                        ok += (await http.PostAsync(url + "/optimize", body)).IsSuccessStatusCode ? 1 : 0;
                    }

                    var old = ProcStat.Children(process.Id).Single();
                    Send("STOP", old);
                    var lost = http.PostAsync(url + "/optimize", body);
                    await Task.Delay(200);
                    Send("KILL", old);
                    var killed = Stopwatch.StartNew();
                    if ((int)(await lost).StatusCode != 503)
                    {
                        throw new InvalidOperationException("the request on the killed worker was not answered 503");
                    }

                    while (!await AliveAsync(http, url))
                    {
                        await Task.Delay(20);
                    }

                    var ready = killed.Elapsed.TotalSeconds;
                    var worker = ProcStat.Children(process.Id).Single();
                    var (firstMs, firstCpu) = await TimeAsync(http, url, body, worker);
                    var (nextMs, nextCpu) = await TimeAsync(http, url, body, worker);
                    figures[i].Add((ready, firstMs, firstCpu, nextMs, nextCpu));
                    failures[i] += (firstMs < 0 ? 1 : 0) + (nextMs < 0 ? 1 : 0);
                }

                loads.Add(ProcStat.LoadAverage());
            }

            Console.WriteLine($"one worker; load average (1 min) at the start and after each round: {string.Join(", ", loads)}");
            Console.WriteLine();
            Console.WriteLine("| build | rounds | ready after the kill, s (median, min-max) | first request ms | its worker CPU ms | next request ms | its worker CPU ms | not answered 200 |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (var i = 0; i < serviceDlls.Count; i++)
            {
                var list = figures[i];
                string Of(Func<(double Ready, double FirstMs, double FirstCpu, double NextMs, double NextCpu), double> value, string format) =>
                    string.Create(CultureInfo.InvariantCulture, $"{SideBySide.Median(list.Select(value)).ToString(format, CultureInfo.InvariantCulture)} ({list.Min(value).ToString(format, CultureInfo.InvariantCulture)}-{list.Max(value).ToString(format, CultureInfo.InvariantCulture)})");
                Console.WriteLine($"| {serviceDlls[i]} | {list.Count} | {Of(f => f.Ready, "F2")} | {Of(f => f.FirstMs, "F0")} | {Of(f => f.FirstCpu, "F0")} | {Of(f => f.NextMs, "F0")} | {Of(f => f.NextCpu, "F0")} | {failures[i]} |");
            }
        }
        finally
        {
            foreach (var (process, _) in services)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static async Task<(double Ms, double WorkerCpuMs)> TimeAsync(HttpClient http, string url, HttpContent body, int worker)
    {
        var cpu = ProcStat.CpuSeconds(worker) ?? 0;
        var watch = Stopwatch.StartNew();
        var ok = (await http.PostAsync(url + "/optimize", body)).IsSuccessStatusCode;
        // A request not answered 200 counts as a failure, with its time negative.
        return ((ok ? 1 : -1) * watch.Elapsed.TotalMilliseconds, ((ProcStat.CpuSeconds(worker) ?? 0) - cpu) * 1000);
    }

    private static async Task<bool> AliveAsync(HttpClient http, string url)
    {
        using var health = JsonDocument.Parse(await http.GetStringAsync(url + "/health"));
        return health.RootElement.GetProperty("workers").GetProperty("alive").GetInt32() == 1;
    }

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
