using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Scheduling;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15 with two strategies in one service: both switched at once, and a version made live by changing the
/// pointer in the store, which the service's own check picks up with no request.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class VersionSwitchTwoStrategiesTests : IDisposable
{
    private const string KilnPointer = "process-optimization-strategy-config.yaml";
    private const string FormulaPointer = "formula.yaml";

    private readonly string _folder = Directory.CreateTempSubdirectory("po-switch-two-").FullName;

    [Fact]
    public async Task Switch_BothStrategiesAtOnce_EachAnswersItsNewVersion()
    {
        await using var host = await StartAsync("--Solver:Workers=2");
        var catalog = host.App.Services.GetRequiredService<StrategyCatalog>();
        var warmUps = host.Pool.WarmUps;

        await Task.WhenAll(
            Task.Run(() => catalog.Find("kiln")!.Repository.SwitchAsync("1.0.1", CancellationToken.None)),
            Task.Run(() => catalog.Find("formula")!.Repository.SwitchAsync("2.0.0", CancellationToken.None)));
        // The first switch's warm-ups may hold both workers, so the second finds none idle: its version reaches them
        // with their next request. Either way the warm-ups end.
        await UntilAsync(() => host.Pool.WarmUps > warmUps && host.Pool.Workers.All(w => w is { Pid: not null, Busy: false }), "the warm-ups of the switches");
        using var kiln = await host.Client.PostAsJsonAsync("/strategies/kiln/optimize", WorkerHost.KilnBody());
        using var formula = await host.Client.PostAsJsonAsync("/strategies/formula/optimize", FormulaBody());

        Assert.True(kiln.StatusCode == HttpStatusCode.OK, $"{(int)kiln.StatusCode} {await kiln.Content.ReadAsStringAsync()}");
        Assert.Equal("1.0.1", (await WorkerHost.JsonAsync(kiln)).GetProperty("strategy_version").GetString());
        Assert.True(formula.StatusCode == HttpStatusCode.OK, $"{(int)formula.StatusCode} {await formula.Content.ReadAsStringAsync()}");
        Assert.Equal("2.0.0", (await WorkerHost.JsonAsync(formula)).GetProperty("strategy_version").GetString());
        // At most one warm-up per worker per switch.
        Assert.InRange(host.Pool.WarmUps, warmUps + 1, warmUps + 4);
        Assert.All(Enum.GetValues<ProcessOptimizer.Workers.WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    [Fact]
    public async Task PointerChangedInTheStore_IdleWorkerWarmsUpTheNewVersionWithNoRequest()
    {
        await using var host = await StartAsync("--Solver:Workers=1");
        var store = new LocalFolderStore(Path.Combine(_folder, "store"));
        var warmUps = host.Pool.WarmUps;

        await store.PutTextAsync(FormulaPointer, StoreLayout.PointerText(FormulaPointer, "2.0.0"), CancellationToken.None);
        await UntilAsync(() => host.Pool.WarmUps > warmUps, "the warm-up of version 2.0.0, picked up from the store");
        using var formula = await host.Client.PostAsJsonAsync("/strategies/formula/optimize", FormulaBody());

        Assert.Equal(warmUps + 1, host.Pool.WarmUps);
        Assert.Equal("2.0.0", host.App.Services.GetRequiredService<StrategyCatalog>().Find("formula")!.Repository.LiveVersion);
        Assert.True(formula.StatusCode == HttpStatusCode.OK, $"{(int)formula.StatusCode} {await formula.Content.ReadAsStringAsync()}");
        Assert.Equal("2.0.0", (await WorkerHost.JsonAsync(formula)).GetProperty("strategy_version").GetString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static object FormulaBody() =>
        new { input_data = new[] { new { timestamp = DateTimeOffset.UtcNow.AddSeconds(-10), data = new Dictionary<string, double> { ["formula_feed"] = 40 } } } };

    // A copy of the kiln store with a version 1.0.1 (the same text as 1.0.0), and a formula strategy at 1.0.0 with a 2.0.0 beside it.
    private async Task<WorkerHost> StartAsync(string workers)
    {
        var root = Path.Combine(_folder, "store");
        TestServers.CopyKilnStore(root);

        var store = new LocalFolderStore(root);
        await store.PutTextAsync(StoreLayout.ConfigKey(KilnPointer, "1.0.1"), await store.GetTextAsync(StoreLayout.ConfigKey(KilnPointer, "1.0.0"), CancellationToken.None), CancellationToken.None);
        await TestStrategies.UploadAsync(store, FormulaPointer, "formula_feed");
        return await WorkerHost.StartAsync(
        [
            workers, "--Storage:LocalRoot=" + root, "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            .. TestStrategies.Setting(0, "kiln", KilnPointer, 3600), .. TestStrategies.Setting(1, "formula", FormulaPointer, 3600),
        ]);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(45))
            {
                throw new TimeoutException($"waited 45 s for {what}");
            }
        }
    }
}
