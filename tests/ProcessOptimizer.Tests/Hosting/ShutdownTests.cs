using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>Issue 14: the host stops within 2 s while <c>/optimize</c> requests are solving and waiting, and logs no exception.</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ShutdownTests
{
    [Fact]
    public async Task Shutdown_WithOptimizeRequestsInFlight_StopsWithinTwoSecondsAnswers503AndLogsNoException()
    {
        var folder = Directory.CreateTempSubdirectory("po-shutdown-").FullName;
        var log = new CapturedLog();
        // Disposed however the test ends: a failed first request once left this host's worker running, and the
        // tests after it that count the test process's workers failed on it.
        await using var app = ServiceHost.Build(
            [
                "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", "--Solver:Workers=1", "--Api:MaxQueuedRequests=8",
                "--Database:ConnectionString=Data Source=" + Path.Combine(folder, "runs.db"), "--Database:OutboxFolder=" + Path.Combine(folder, "outbox"),
            ],
            builder => builder.Logging.AddProvider(log));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        await Tests.Workers.WorkerHost.WarmAsync(app.Services);
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var pool = app.Services.GetRequiredService<WorkerPool>();
        var first = await client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var worker = pool.Workers[0].Pid!.Value;

        // The worker frozen, as a solve that never returns would leave it: one request held by it, three waiting.
        Signals.Pause([worker]);
        var pending = Enumerable.Range(0, 4).Select(_ => client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest())).ToList();
        await FaultKit.WaitForAsync(() => Task.FromResult(pool.Workers[0].Busy && pool.Waiting >= 3), TimeSpan.FromSeconds(10), "one request in the worker and three queueing");

        TimeSpan took, limit;
        using (var watch = OwnLateness.Start())
        {
            await app.StopAsync();
            (took, limit) = (watch.Elapsed, watch.Allow(TimeSpan.FromSeconds(2)));
        }

        var answers = await Task.WhenAll(pending);
        await app.DisposeAsync();
        Directory.Delete(folder, recursive: true);

        // Within 2 s and the time this process did not run meanwhile: a host that waited for the frozen solve would
        // wait for ever, since the frozen worker never answers.
        Assert.True(took < limit, $"the host took {took.TotalSeconds:F2} s to stop, {limit.TotalSeconds:F2} s allowed");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        Assert.All(answers, a => Assert.True(a.Headers.RetryAfter is not null, "a 503 at shutdown says when to come back"));
        Assert.Contains(log.Entries, e => e.Category.StartsWith("ProcessOptimizer", StringComparison.Ordinal));
        var faults = log.Entries.Where(e => e.Exception is not null || e.Level >= LogLevel.Error).ToList();
        Assert.True(faults.Count == 0, string.Join("\n", faults));
        Assert.False(Directory.Exists($"/proc/{worker}"), $"worker {worker} outlived the host");
        Assert.All(pool.Workers, w => Assert.Null(w.Pid));
    }
}
