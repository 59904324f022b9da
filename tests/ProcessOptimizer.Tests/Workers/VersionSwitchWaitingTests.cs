using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15, the other way round: a warm-up must not make a request or a loop cycle wait longer than it would have
/// without it. With one worker, a request that came just after a switch waited for the warm-up's build and then its
/// solve, against its own bound for a free worker, and a slow build made it 503 where it would have built the
/// version itself and been answered. A paused worker stands for the slow build: the warm-up's build is sent to it
/// and waits there while requests and cycles come.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class VersionSwitchWaitingTests : IDisposable
{
    private const string Config = "process-optimization-strategy-config";

    private readonly string _folder = Directory.CreateTempSubdirectory("po-switch-waiting-").FullName;

    [Fact]
    public async Task Switch_RequestComesWhileTheOnlyWorkerBuilds_WarmUpSolveGivesWayAndTheRequestIsAnswered()
    {
        await using var host = await StartAsync();
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        var pid = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;

        Task<HttpResponseMessage> request;
        Signals.Pause([pid]);
        try
        {
            await repository.SwitchAsync("1.0.1", CancellationToken.None);
            await UntilAsync(() => host.Pool.Workers[0].Busy, "the warm-up's build sent to the only worker");
            request = host.OptimizeAsync();
            await UntilAsync(() => host.Pool.Waiting == 1, "the request waiting for the worker");
        }
        finally
        {
            Signals.Resume([pid]);
        }

        using var answer = await request;

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
        // Built by the warm-up, solved by the request alone: no warm-up solve ran while it waited.
        Assert.Equal(warmUps, host.Pool.WarmUps);
        Assert.Single(host.Log.Entries, e => e.Message.Contains("built version 1.0.1, which went live, and left its warm-up solve out for the 1 ", StringComparison.Ordinal));
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    [Fact]
    public async Task Switch_RequestsAndALoopCycleWaitBehindTheBuild_CycleGoesBeforeTheQueuedRequestAndNoWarmUpSolveRuns()
    {
        // The first request holds the queue's only place and waits for the worker; the second request and then a
        // loop cycle wait in the queue. Once the build is done, the worker goes to the first, then to the cycle,
        // which keeps its place ahead of every waiting request, then to the second.
        await using var host = await StartAsync();
        var strategy = host.App.Services.GetRequiredService<StrategyCatalog>().Default;
        var executor = host.App.Services.GetRequiredService<CycleExecutor>();
        await ImportWindowAsync(host);
        var pid = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;
        // Requests are told apart by their deadline: a loop cycle's is Optimization:MaxSolveSeconds (60 s), an API
        // request's Api:MaxSolveSeconds (10 s).
        var answered = new ConcurrentQueue<int>();
        host.Pool.Answered = (_, request) =>
        {
            answered.Enqueue(request.MaxSolveSeconds);
            return Task.CompletedTask;
        };

        Task<HttpResponseMessage> first, second;
        Task<RunRecord?> cycle;
        Signals.Pause([pid]);
        try
        {
            await strategy.Repository.SwitchAsync("1.0.1", CancellationToken.None);
            await UntilAsync(() => host.Pool.Workers[0].Busy, "the warm-up's build sent to the only worker");
            first = host.OptimizeAsync();
            await UntilAsync(() => host.Pool.Waiting == 1, "the first request waiting for the worker");
            second = host.OptimizeAsync();
            await UntilAsync(() => host.Pool.Waiting == 2, "the second request waiting in the queue");
            cycle = executor.RunOnceAsync(strategy, null, CancellationToken.None);
            await UntilAsync(() => host.Pool.Waiting == 3, "the loop cycle waiting in the queue");
        }
        finally
        {
            Signals.Resume([pid]);
        }

        using var firstAnswer = await first;
        using var secondAnswer = await second;
        var run = await cycle.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(firstAnswer.StatusCode == HttpStatusCode.OK, $"{(int)firstAnswer.StatusCode} {await firstAnswer.Content.ReadAsStringAsync()}");
        Assert.True(secondAnswer.StatusCode == HttpStatusCode.OK, $"{(int)secondAnswer.StatusCode} {await secondAnswer.Content.ReadAsStringAsync()}");
        Assert.NotNull(run);
        Assert.True(run.Outcome is RunOutcome.Success or RunOutcome.Infeasible, $"{run.Outcome} {run.Message}");
        Assert.Equal("1.0.1", run.StrategyVersion);
        Assert.Equal(new[] { 10, 60, 10 }, answered.ToArray());
        Assert.Equal(warmUps, host.Pool.WarmUps);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The kiln's latest window, moved to end three minutes ago, and a row a minute later: a cycle has new data to solve.
    private static async Task ImportWindowAsync(WorkerHost host)
    {
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var shift = DataTime.Whole(DateTimeOffset.UtcNow.AddMinutes(-3)) - input.Rows[^1].Timestamp!.Value;
        var tags = input.Rows[0].Values.Keys.ToList();
        var rows = input.Rows.Select(r => new CsvRow(r.Timestamp!.Value + shift, [.. tags.Select(t => r.Values[t])])).ToList();
        rows.Add(rows[^1] with { Timestamp = rows[^1].Timestamp.AddMinutes(1) });
        var database = host.App.Services.GetRequiredService<ProcessDatabase>();
        await new ProcessDataImporter(database).ImportAsync(new CsvTable(tags, rows), CancellationToken.None);
    }

    // A copy of the kiln store with a version 1.0.1 (the same text as 1.0.0), and the host on it with one worker.
    private async Task<WorkerHost> StartAsync()
    {
        var store = Path.Combine(_folder, "store");
        TestServers.CopyKilnStore(store);

        var configs = Path.Combine(store, "configs");
        File.Copy(Path.Combine(configs, Config + "-1.0.0.yaml"), Path.Combine(configs, Config + "-1.0.1.yaml"));
        return await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:MaxSolveSeconds=10", "--Optimization:MaxSolveSeconds=60", "--Storage:LocalRoot=" + store, "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"));
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(10))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }
        }
    }
}
