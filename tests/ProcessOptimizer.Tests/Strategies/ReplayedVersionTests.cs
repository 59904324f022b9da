using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Inference.Tests.Exact;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>
/// Versions a backtest replays beside the live one. The kiln's model is swapped for one ONNX Runtime must run (a
/// sine layer has no exact evaluator), so that a model freed under a version fails instead of going unnoticed.
/// 1.0.1 is 1.0.0 under another name (same model, same ETags); 2.0.0 has its model under another key.
/// </summary>
public sealed class ReplayedVersionTests : IDisposable
{
    private const string ModelFolder = "models/Burning_zone_temperature/";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "po-replayed-" + Guid.NewGuid().ToString("n"));
    private readonly LocalFolderStore _store;

    public ReplayedVersionTests()
    {
        TestServers.CopyKilnStore(_root);

        var builder = new GraphBuilder(5);
        var hidden = builder.Node("Sin", [builder.Linear(builder.Input, Identity(5), new double[5])]);
        File.WriteAllBytes(Path.Combine(_root, ModelFolder, "Burning_zone_temperature_model.onnx"), builder.Build(builder.Linear(hidden, new double[,] { { 0.5, -0.2, 0.1, 0.3, -0.4 } }, [0]), 1));
        Directory.CreateDirectory(Path.Combine(_root, "models", "v2"));
        foreach (var file in Directory.GetFiles(Path.Combine(_root, ModelFolder)))
        {
            File.Copy(file, Path.Combine(_root, "models", "v2", Path.GetFileName(file)));
        }

        var configs = Path.Combine(_root, "configs");
        var v1 = File.ReadAllText(Path.Combine(configs, "process-optimization-strategy-config-1.0.0.yaml"));
        File.WriteAllText(Path.Combine(configs, "process-optimization-strategy-config-1.0.1.yaml"), v1);
        File.WriteAllText(Path.Combine(configs, "process-optimization-strategy-config-2.0.0.yaml"), v1.Replace(ModelFolder, "models/v2/", StringComparison.Ordinal));
        _store = new LocalFolderStore(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task BacktestVersion_SharingTheLiveModel_StillPredictsAfterTheLiveVersionMovesAway()
    {
        var repository = Repository();
        var live = await repository.CurrentAsync(CancellationToken.None);
        var replayed = await repository.LoadApartAsync("1.0.1", CancellationToken.None);
        var before = Predict(replayed);

        using (replayed.Lease())
        {
            await repository.SwitchAsync("2.0.0", CancellationToken.None);
            Assert.Equal("1.0.0", live.Version);
            Assert.Equal(before, Predict(replayed));
        }
    }

    [Fact]
    public async Task WorkerReplay_SharingTheLiveModel_StillPredictsAfterTheServiceSwitchesVersion()
    {
        var service = Repository();
        var sent = new Dictionary<string, DeployedStrategy>();
        foreach (var version in new[] { "1.0.0", "1.0.1", "2.0.0" })
        {
            sent[version] = await service.LoadApartAsync(version, CancellationToken.None);
        }

        var settings = new StorageSettings();
        var worker = new WorkerStrategies(settings, new IpoptSolver());
        await worker.DeployedAsync(settings.DeployedVersionKey, "1.0.0", Send(worker, sent["1.0.0"]));
        var replayed = await worker.ReplayedAsync("1.0.1", Send(worker, sent["1.0.1"]));
        var before = Predict(replayed);

        await worker.DeployedAsync(settings.DeployedVersionKey, "2.0.0", Send(worker, sent["2.0.0"]));
        var again = await worker.ReplayedAsync("1.0.1", Send(worker, sent["1.0.1"]));

        Assert.Same(replayed, again);
        Assert.Equal(before, Predict(again));
    }

    // The service's repository over this store, with a cache of its own.
    private StrategyRepository Repository() =>
        new(_store, new StorageSettings(), new IpoptSolver(), new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);

    // As the service does before each request: the artifacts the worker lacks go with it.
    private static IReadOnlyDictionary<string, string> Send(WorkerStrategies worker, DeployedStrategy version)
    {
        var missing = worker.Missing(version.ArtifactVersions);
        worker.Add(version.Artifacts.Where(a => missing.Contains(a.Key)));
        return version.ArtifactVersions;
    }

    private static double Predict(DeployedStrategy deployed)
    {
        var model = deployed.Models.Single().Model;
        Assert.Equal("finite-difference", model.DerivativeMode);
        var output = new double[1];
        model.Predict([1.0, 2.0, 3.0, 4.0, 5.0], output, []);
        return output[0];
    }

    private static double[,] Identity(int n)
    {
        var identity = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            identity[i, i] = 1;
        }

        return identity;
    }
}
