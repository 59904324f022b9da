using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: a version switch reaches every idle worker at once. It builds the new version and solves it once,
/// so the next cycle or request finds it warm instead of paying for the build and a cold solve.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class VersionSwitchWarmUpTests : IDisposable
{
    private const string Pointer = "process-optimization-strategy-config.yaml";

    private readonly string _folder = Directory.CreateTempSubdirectory("po-switch-").FullName;

    [Fact]
    public async Task Switch_IdleWorkerBuildsAndSolvesTheNewVersionBeforeAnyRequest_OnceAVersion()
    {
        await using var host = await StartAsync();
        var pid = (await host.PidsAsync())[0];
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        Assert.Equal(1, host.Pool.WarmUps);

        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await UntilAsync(() => host.Pool.WarmUps == 2, "the warm-up solve of version 1.0.1");
        // Switching to the live version again is no switch: nothing more is built or solved.
        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await Task.Delay(500);
        var warmUps = host.Pool.WarmUps;
        var busyBefore = host.Pool.BusyTime;
        var answer = await host.OptimizeAsync();

        Assert.Equal(2, warmUps);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
        // The warm-up is not a request: only the request's own solve adds to the time spent on requests.
        Assert.True(host.Pool.BusyTime > busyBefore);
    }

    [Fact]
    public async Task Switch_ThenShutdownAtOnce_NoWorkerProcessLeft()
    {
        var host = await StartAsync("--Solver:Workers=2");
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;

        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await host.DisposeAsync();

        Assert.Empty(Faults.Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Switch_WorkerKilledWhileItWarmsUpTheNewVersion_CountedOnceAndReplacedOnTheNewVersion()
    {
        await using var host = await StartAsync();
        var pid = (await host.PidsAsync())[0];
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;

        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await UntilAsync(() => host.Pool.Workers[0].Busy, "the worker building or solving version 1.0.1");
        Faults.Signals.Kill([pid]);
        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid, "the replacement");
        var answer = await host.OptimizeAsync();

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal([host.Pool.Workers[0].Pid!.Value], Faults.Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Switch_WhileTheOnlyWorkerHoldsARequest_ItWarmsUpTheNewVersionOnceFree_BeforeTheNextRequest()
    {
        await using var host = await StartAsync();
        var pid = (await host.PidsAsync())[0];
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Pool.Answered = async (_, _) =>
        {
            holding.TrySetResult();
            await gate.Task;
        };

        // The switch comes while the worker holds a request: no idle worker is there to warm up.
        var first = host.OptimizeAsync();
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await Task.Delay(500);
        host.Pool.Answered = null;
        gate.SetResult();
        var answered = await first;
        // It got version 1.0.1 only with its next request, which paid for the build and a cold solve.
        await UntilAsync(() => host.Pool.WarmUps == 2, "the warm-up of version 1.0.1 by the worker that was busy at the switch");
        var next = await host.OptimizeAsync();

        Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{(int)answered.StatusCode} {await answered.Content.ReadAsStringAsync()}");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(next)).GetProperty("strategy_version").GetString());
        Assert.Equal(2, host.Pool.WarmUps);
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A copy of the kiln store with a version 1.0.1 beside 1.0.0 (the same text), and the host on it.
    private async Task<WorkerHost> StartAsync(string workers = "--Solver:Workers=1")
    {
        var store = Path.Combine(_folder, "store");
        TestServers.CopyKilnStore(store);

        var configs = Path.Combine(store, "configs");
        File.Copy(Path.Combine(configs, Path.GetFileNameWithoutExtension(Pointer) + "-1.0.0.yaml"), Path.Combine(configs, Path.GetFileNameWithoutExtension(Pointer) + "-1.0.1.yaml"));
        return await WorkerHost.StartAsync(workers, "--Storage:LocalRoot=" + store, "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"));
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"waited 120 s for {what}");
            }
        }
    }
}
