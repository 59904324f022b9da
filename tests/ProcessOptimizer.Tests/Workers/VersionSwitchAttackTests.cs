using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15, attacked: versions switched back and forth while requests flow, a version that cannot be built, a
/// switch that finds its only worker paused, and the service stopped while the workers warm up.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class VersionSwitchAttackTests : IDisposable
{
    private const string Config = "process-optimization-strategy-config";

    private readonly string _folder = Directory.CreateTempSubdirectory("po-switch-attack-").FullName;

    [Fact]
    public async Task Switch_TenTimesBackAndForthWhileRequestsFlow_EveryRequestAnsweredWithALiveVersion()
    {
        await using var host = await StartAsync("--Solver:Workers=2");
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        var pids = await host.PidsAsync();
        // The version live after each switch; a request may be answered with any version live while it was open.
        var live = new List<string> { "1.0.0" };
        var switches = 0;
        var answers = new ConcurrentBag<(int From, int To, HttpStatusCode Status, string Body)>();
        using var stop = new CancellationTokenSource();
        async Task SendAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var from = Volatile.Read(ref switches);
                using var response = await host.OptimizeAsync();
                answers.Add((from, Volatile.Read(ref switches), response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }

        var senders = new[] { Task.Run(SendAsync), Task.Run(SendAsync) };
        for (var i = 0; i < 10; i++)
        {
            var version = i % 2 == 0 ? "1.0.1" : "1.0.0";
            await repository.SwitchAsync(version, CancellationToken.None);
            live.Add(version);
            Interlocked.Increment(ref switches);
            await Task.Delay(150);
        }

        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
        using var last = await host.OptimizeAsync();

        Assert.NotEmpty(answers);
        Assert.All(answers, a =>
        {
            Assert.True(a.Status == HttpStatusCode.OK, $"{(int)a.Status} {a.Body}");
            var version = JsonDocument.Parse(a.Body).RootElement.GetProperty("strategy_version").GetString();
            Assert.Contains(version, live[a.From..(a.To + 1)]);
        });
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal("1.0.0", (await WorkerHost.JsonAsync(last)).GetProperty("strategy_version").GetString());
        // Only idle workers warm up: two at the start, and at most two a switch.
        Assert.InRange(host.Pool.WarmUps, 2, 2 + (10 * 2));
        Assert.All(Enum.GetValues<ProcessOptimizer.Workers.WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
        Assert.Equal(pids, await host.PidsAsync());
    }

    [Theory]
    [InlineData("1.0.2", "YAML that does not parse")]
    [InlineData("1.0.3", "a model file that is missing")]
    [InlineData("1.0.4", "a model file that is not ONNX")]
    public async Task Switch_ToVersionThatCannotBeBuilt_RefusedAndNoWorkerWarmsUp(string version, string fault)
    {
        await using var host = await StartAsync("--Solver:Workers=1");
        var warmUps = host.Pool.WarmUps;
        var pointer = await File.ReadAllTextAsync(Path.Combine(_folder, "store", Config + ".yaml"));

        using var content = new StringContent(JsonSerializer.Serialize(new { version }), Encoding.UTF8, "application/json");
        using var refused = await host.Client.PutAsync("/strategy/version", content);
        await Task.Delay(500);
        using var answer = await host.OptimizeAsync();

        Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{fault}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.0", host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository.LiveVersion);
        Assert.Equal(pointer, await File.ReadAllTextAsync(Path.Combine(_folder, "store", Config + ".yaml")));
        Assert.Equal(warmUps, host.Pool.WarmUps);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("1.0.0", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
    }

    [Fact]
    public async Task Switch_WhileTheOnlyWorkerIsPaused_ResumedWorkerWarmsUpAndAnswersTheNewVersion()
    {
        await using var host = await StartAsync("--Solver:Workers=1");
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        var pid = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;

        Signals.Pause([pid]);
        try
        {
            await repository.SwitchAsync("1.0.1", CancellationToken.None);
            await Task.Delay(1000);
            Assert.Equal(warmUps, host.Pool.WarmUps);
        }
        finally
        {
            Signals.Resume([pid]);
        }

        await UntilAsync(() => host.Pool.WarmUps == warmUps + 1, "the resumed worker's warm-up of version 1.0.1");
        using var answer = await host.OptimizeAsync();

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
        Assert.Equal(pid, (await host.PidsAsync())[0]);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(150)]
    [InlineData(600)]
    public async Task Switch_ThenShutdownWhileWorkersWarmUp_NoWorkerProcessLeft(int afterMilliseconds)
    {
        var host = await StartAsync("--Solver:Workers=2");
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;

        await repository.SwitchAsync("1.0.1", CancellationToken.None);
        await Task.Delay(afterMilliseconds);
        await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        // A worker started by a warm-up that outlived the stop would appear after it: look again a moment later.
        await Task.Delay(1000);

        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task LoopCycle_FindsThePointerChangedItself_WaitsForTheWarmUpOfItsOnlyWorkerAndSolvesTheNewVersion()
    {
        // The cycle looks at the store first, so it is the cycle that makes the new version live: the warm-up then
        // takes the only idle worker as the cycle reads its window, and the cycle's solve must wait for it, not fail.
        await using var host = await StartAsync("--Solver:Workers=1");
        var input = ProcessOptimizer.Inputs.InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var shift = ProcessOptimizer.Core.Data.DataTime.Whole(DateTimeOffset.UtcNow.AddMinutes(-3)) - input.Rows[^1].Timestamp!.Value;
        var tags = input.Rows[0].Values.Keys.ToList();
        var rows = input.Rows.Select(r => new ProcessOptimizer.Core.Data.CsvRow(r.Timestamp!.Value + shift, [.. tags.Select(t => r.Values[t])])).ToList();
        var database = host.App.Services.GetRequiredService<ProcessOptimizer.Storage.Database.ProcessDatabase>();
        var strategy = host.App.Services.GetRequiredService<StrategyCatalog>().Default;
        var executor = host.App.Services.GetRequiredService<ProcessOptimizer.Cycles.CycleExecutor>();
        var pointer = Path.Combine(_folder, "store", Config + ".yaml");
        var warmUps = host.Pool.WarmUps;

        foreach (var (version, minute) in new[] { ("1.0.1", 0), ("1.0.0", 1), ("1.0.1", 2) })
        {
            // A new row each time, so that no cycle is skipped for having no new data.
            var row = rows[^1] with { Timestamp = rows[^1].Timestamp.AddMinutes(minute + 1) };
            await new ProcessOptimizer.Storage.Database.ProcessDataImporter(database).ImportAsync(new ProcessOptimizer.Core.Data.CsvTable(tags, minute == 0 ? [.. rows, row] : [row]), CancellationToken.None);
            await File.WriteAllTextAsync(pointer, StoreLayout.PointerText(Config + ".yaml", version));
            var run = await executor.RunOnceAsync(strategy, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.NotNull(run);
            Assert.True(run.Outcome is ProcessOptimizer.Core.Runs.RunOutcome.Success or ProcessOptimizer.Core.Runs.RunOutcome.Infeasible, $"{version}: {run.Outcome} {run.Message}");
            Assert.Equal(version, run.StrategyVersion);
        }

        await UntilAsync(() => host.Pool.WarmUps == warmUps + 3 || host.Pool.Workers.All(w => w is { Pid: not null, Busy: false }), "the warm-ups to end");
        Assert.InRange(host.Pool.WarmUps, warmUps, warmUps + 3);
        Assert.All(Enum.GetValues<ProcessOptimizer.Workers.WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    [Fact]
    public async Task Switch_ToAVersionWithOtherTags_WarmUpOnTheLastKilnWindowLeavesTheWorkerServing()
    {
        // The last window a worker answered for the pointer has none of the new version's tags. Its warm-up solved
        // that window anyway, which ended at once in an input error and warmed nothing, yet counted as a warm-up.
        await using var host = await StartAsync("--Solver:Workers=1");
        var repository = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository;
        var pid = (await host.PidsAsync())[0];
        await File.WriteAllTextAsync(Path.Combine(_folder, "store", "configs", Config + "-2.0.0.yaml"), Scheduling.TestStrategies.Yaml("other_tag", 20));
        using (var kiln = await host.OptimizeAsync())
        {
            Assert.Equal(HttpStatusCode.OK, kiln.StatusCode);
        }

        await repository.SwitchAsync("2.0.0", CancellationToken.None);
        await UntilAsync(() => host.Pool.Workers.All(w => w is { Pid: not null, Busy: false }), "the warm-up to end");
        await Task.Delay(500);
        using var answer = await host.Client.PostAsJsonAsync("/optimize", new { input_data = new[] { new { timestamp = DateTimeOffset.UtcNow.AddSeconds(-10), data = new Dictionary<string, double> { ["other_tag"] = 40 } } } });

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("2.0.0", (await WorkerHost.JsonAsync(answer)).GetProperty("strategy_version").GetString());
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<ProcessOptimizer.Workers.WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
        var warmed = Assert.Single(host.Log.Entries, e => e.Message.Contains("warmed up: one solve of version 2.0.0", StringComparison.Ordinal));
        Assert.Contains("on the middle of every limit", warmed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Error,", warmed.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A copy of the kiln store with 1.0.1 (the same text as 1.0.0) and three versions that cannot be built, and the host on it.
    private async Task<WorkerHost> StartAsync(string workers)
    {
        var store = Path.Combine(_folder, "store");
        TestServers.CopyKilnStore(store);

        var configs = Path.Combine(store, "configs");
        var text = await File.ReadAllTextAsync(Path.Combine(configs, Config + "-1.0.0.yaml"));
        await File.WriteAllTextAsync(Path.Combine(configs, Config + "-1.0.1.yaml"), text);
        await File.WriteAllTextAsync(Path.Combine(configs, Config + "-1.0.2.yaml"), text + "\n: [ this is not yaml\n");
        await File.WriteAllTextAsync(Path.Combine(configs, Config + "-1.0.3.yaml"), text.Replace("Burning_zone_temperature_model.onnx", "missing_model.onnx", StringComparison.Ordinal));
        var garbage = Path.Combine(store, "models", "Burning_zone_temperature", "garbage_model.onnx");
        await File.WriteAllBytesAsync(garbage, Encoding.ASCII.GetBytes("this is not an ONNX model"));
        await File.WriteAllTextAsync(Path.Combine(configs, Config + "-1.0.4.yaml"), text.Replace("Burning_zone_temperature_model.onnx", "garbage_model.onnx", StringComparison.Ordinal));
        return await WorkerHost.StartAsync(workers, "--Storage:LocalRoot=" + store, "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"));
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }
        }
    }
}
