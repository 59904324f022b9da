using System.Diagnostics;
using System.Net;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: a worker that hangs (stopped with SIGSTOP) while requests queue behind it: each request is answered
/// once, and no later than its own deadline and the answer's grace after it arrived, however many wait before it;
/// the worker, sent a version it holds built, is killed at the deadline and the grace and replaced.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class FrozenWorkerQueueTests
{
    private const int Deadline = 2;

    [Fact]
    public async Task Optimize_WorkerFrozenWithRequestsQueued_EachAnswered503WithinItsDeadlineFromArrival_ThenServed()
    {
        await using var host = await WorkerHost.StartAsync(
            "--Solver:Workers=1", $"--Api:MaxSolveSeconds={Deadline}", "--Api:MaxQueuedRequests=4", "--Solver:KillAfterSeconds=120");
        var pid = (await host.PidsAsync())[0];
        for (var warming = Stopwatch.StartNew(); (await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no /optimize was answered within 60 s of the start");
        }

        (HttpResponseMessage Response, TimeSpan Took)[] answers;
        Signals.Pause([pid]);
        try
        {
            // One request held by the frozen worker, four queued behind it.
            var sent = new List<Task<(HttpResponseMessage, TimeSpan)>>();
            for (var i = 0; i < 5; i++)
            {
                sent.Add(TimedAsync(host.OptimizeAsync()));
                await Task.Delay(50);
            }

            answers = await Task.WhenAll(sent).WaitAsync(TimeSpan.FromSeconds(90));
            // Not let go before its kill, which would race the kill with the answer.
            await WorkerHost.UntilAsync(() => !Directory.Exists($"/proc/{pid}"), "the frozen worker to be killed");
        }
        finally
        {
            Signals.Resume([pid]);
        }

        // The bound is twice the deadline and grace, for a loaded machine; queued one behind another, the fifth
        // request was answered after five of them (20 s), and those behind the first waited for the kill (120 s).
        var bound = 2 * (TimeSpan.FromSeconds(Deadline) + global::ProcessOptimizer.Workers.WorkerPool.AnswerGrace);
        foreach (var (response, took) in answers)
        {
            var body = await WorkerHost.JsonAsync(response);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("solver not ready", body.GetProperty("error").GetString());
            Assert.True(took < bound, $"answered after {took.TotalSeconds:F1} s, for a deadline of {Deadline} s: {body.GetProperty("detail").GetString()}; all: {string.Join(", ", answers.Select(a => a.Took.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        // The worker that took its place serves: nothing is left holding the place. The frozen one never read the
        // request, but its version was one it had built, so its solve had nothing to wait for.
        HttpResponseMessage next;
        for (var waited = Stopwatch.StartNew(); (next = await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(60);)
        {
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotEqual(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<global::ProcessOptimizer.Workers.WorkerFailure>(), r => Assert.Equal(r == global::ProcessOptimizer.Workers.WorkerFailure.ExceededDeadline ? 1 : 0, host.Pool.Restarts(r)));
        Assert.Equal(0, host.Pool.Waiting);
    }

    private static async Task<(HttpResponseMessage, TimeSpan)> TimedAsync(Task<HttpResponseMessage> request)
    {
        var clock = Stopwatch.StartNew();
        var response = await request;
        return (response, clock.Elapsed);
    }
}
