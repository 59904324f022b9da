using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// Issue 14: SIGTERM to the service's own executable (not a host inside the test process, whose shutdown the test
/// drives) while both solver workers are frozen and requests are in flight.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ServiceProcessShutdownTests
{
    // The README's bound: the service's shutdown timeout (HostOptions.ShutdownTimeout), which cuts every wait, and
    // what the runtime then needs to exit, on a machine with a core to spare. The shutdown waits for nothing else;
    // its own work (a fraction of a second of CPU) stretches with the run queue on a machine loaded beyond its cores.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan ProcessExit = TimeSpan.FromSeconds(0.5);

    [Fact]
    public async Task Sigterm_WorkersFrozenRequestsInFlight_AnswersEachExitsInTimeLeavesNoWorkerLogsNoException()
    {
        var folder = Directory.CreateTempSubdirectory("po-sigterm-").FullName;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "ProcessOptimizer.dll"), "run", "--Urls=" + url, "--Solver:Workers=2", "--Api:MaxQueuedRequests=8",
            "--Database:ConnectionString=Data Source=" + Path.Combine(folder, "runs.db"), "--Database:OutboxFolder=" + Path.Combine(folder, "outbox"),
            "--Storage:LastGoodVersionFile=" + Path.Combine(folder, "last-good.json"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var log = new List<string>();
        using var service = Process.Start(start)!;
        service.OutputDataReceived += (_, e) => Add(log, e.Data);
        service.ErrorDataReceived += (_, e) => Add(log, e.Data);
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        var workers = new List<int>();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            await FaultKit.WaitForAsync(async () => await AnswersAsync(client), TimeSpan.FromSeconds(60), "the service answering");
            // Until its workers have started and built the strategy, a request may be told to come back (503).
            await FaultKit.WaitForAsync(async () => (await client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest())).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "a first answer");
            await FaultKit.WaitForAsync(() => Task.FromResult(Signals.WithChildren(service.Id).Count == 3), TimeSpan.FromSeconds(30), "both workers started");
            workers.AddRange(Signals.WithChildren(service.Id).Where(p => p != service.Id));

            // Both workers frozen, as solves that never return would leave them: two requests held, four waiting.
            Signals.Pause(workers);
            var pending = Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest())).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            var load = LoadPerCore();
            var watch = Stopwatch.StartNew();
            Signals.Terminate([service.Id]);
            var exited = service.WaitForExitAsync();
            var ended = await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))) == exited;
            watch.Stop();

            Assert.True(ended, "the service did not exit within 30 s of SIGTERM");
            var limit = (ShutdownTimeout + ProcessExit) * Math.Max(1, load);
            Assert.True(watch.Elapsed < limit, $"the service took {watch.Elapsed.TotalSeconds:F2} s to exit, above {limit.TotalSeconds:F1} s (load average {load:F1} per core)");
            Assert.Equal(0, service.ExitCode);
            foreach (var request in pending)
            {
                // A request without an answer throws here: the connection was closed under it.
                var answer = await request;
                var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)answer.StatusCode} {body}");
                Assert.Equal(503, body.GetProperty("status").GetInt32());
                Assert.NotNull(answer.Headers.RetryAfter);
            }

            // None of its workers is left, neither the frozen ones nor one started while it stopped.
            Assert.All(workers, w => Assert.False(Directory.Exists($"/proc/{w}"), $"worker {w} outlived the service"));
            Assert.Empty(Signals.WorkersOf(service.Id));
            string[] lines;
            lock (log)
            {
                lines = [.. log];
            }

            Assert.Contains(lines, l => l.Contains("Application is shutting down", StringComparison.Ordinal));
            var faults = lines.Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains(" fail:", StringComparison.Ordinal) || l.Contains(" crit:", StringComparison.Ordinal)).ToList();
            Assert.True(faults.Count == 0, string.Join("\n", faults));
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill(entireProcessTree: true);
            }

            Signals.Kill([.. workers.Where(w => Directory.Exists($"/proc/{w}")), .. Signals.WorkersOf(service.Id)]);
            Directory.Delete(folder, recursive: true);
        }
    }

    // The one-minute load average over the cores: the run queue's length per core, which stretches CPU work.
    private static double LoadPerCore() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / Environment.ProcessorCount;

    private static void Add(List<string> log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.Add(line);
            }
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/health")).StatusCode is HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
