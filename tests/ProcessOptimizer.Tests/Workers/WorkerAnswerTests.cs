using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Cli;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Answers from a real worker process equal, bit for bit, the answers of the same cycle run in this process.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerAnswerTests
{
    // Shortest round-trip text for every double: equal text is equal bits.
    private static readonly JsonSerializerOptions Exact = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static readonly OptimizationSettings Settings = new();

    [Fact]
    public async Task Solve_HockSchittkowskiProblems_SameBitsAsInProcess()
    {
        var folder = CliRunner.Fixture("hock-schittkowski");
        var solver = new IpoptSolver();
        await using var pool = await StartAsync(Path.Combine(TestServers.Kiln, "store"));
        var names = Directory.GetFiles(folder, "hs*.yaml").Order().ToList();
        Assert.Equal(8, names.Count);
        foreach (var yaml in names)
        {
            var text = await File.ReadAllTextAsync(yaml);
            var input = InputParser.ReadFile(Path.ChangeExtension(yaml, null) + "-input.json");
            var (strategy, _) = StrategyLoader.Read(text, solver.ValidateOption);
            var expected = CycleSolver.RunHere(solver, StrategyCompiler.Compile(strategy!, new Dictionary<string, IModel>()), input, Settings.ToSolverSettings(), Settings.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);

            var reply = await pool.SolveAsync(Request("inline", text, input), [], null, CancellationToken.None);

            Assert.Equal(CycleStatus.Success, expected.Status);
            Assert.Equal(Bits(expected), Bits(reply.Result!));
        }
    }

    [Fact]
    public async Task Solve_KilnDeployedVersion_SameBitsAsInProcessBuiltFromTheServicesArtifacts()
    {
        var solver = new IpoptSolver();
        var (deployed, input) = await KilnAsync(solver);
        var expected = CycleSolver.RunHere(solver, deployed.Compiled, input, Settings.ToSolverSettings(), Settings.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);
        // The worker's store is an empty folder: what it solves with can only have come from this process.
        var empty = Directory.CreateTempSubdirectory("po-empty-store-").FullName;
        await using var pool = await StartAsync(empty);

        var first = await pool.SolveAsync(Request(deployed.Version, null, input, deployed.ArtifactVersions), deployed.Artifacts, null, CancellationToken.None);
        var warm = await pool.SolveAsync(Request(deployed.Version, null, input, deployed.ArtifactVersions), [], null, CancellationToken.None);

        Assert.Equal(CycleStatus.Success, expected.Status);
        Assert.Equal(Bits(expected), Bits(first.Result!));
        Assert.Equal(Bits(expected), Bits(warm.Result!));
        Assert.Contains(deployed.ArtifactVersions.Keys, k => k.EndsWith(".onnx", StringComparison.Ordinal));
        Assert.Contains(StoreLayout.ConfigKey(deployed.Version), deployed.ArtifactVersions.Keys);
        Directory.Delete(empty);
    }

    [Fact]
    public async Task Solve_WarmStartInTheRequest_SameBitsAsInProcessFromTheSameState()
    {
        // Issue 19: the loop's warm start travels with the request, so any worker solves as this process would.
        var solver = new IpoptSolver();
        var (deployed, input) = await KilnAsync(solver);
        var previous = CycleSolver.RunHere(solver, deployed.Compiled, input, Settings.ToSolverSettings(), Settings.MaxSolveSeconds, TimeProvider.System, CancellationToken.None).Next!;
        var expected = CycleSolver.RunHere(solver, deployed.Compiled, input, Settings.ToSolverSettings() with { Previous = previous }, Settings.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);
        await using var pool = await StartAsync(Path.Combine(TestServers.Kiln, "store"));

        var reply = await pool.SolveAsync(Request(deployed.Version, null, input, deployed.ArtifactVersions) with { Warm = previous }, deployed.Artifacts, null, CancellationToken.None);

        Assert.NotEmpty(previous.Solves);
        Assert.True(expected.Solver[0].WarmStarts > 0);
        Assert.Equal(Bits(expected), Bits(reply.Result!));
    }

    [Fact]
    public async Task Solve_KilnWindowWithOddTagOrdersAndCells_SameBitsAsInProcess()
    {
        // The kiln's window as a careless client sends it: every row names its tags in another order, an extra
        // tag with a Unicode name carries NaNs with payloads, a middle row lacks a tag and another row has a null.
        var solver = new IpoptSolver();
        var (deployed, plain) = await KilnAsync(solver);
        var random = new Random(11);
        var rows = plain.Rows.Select((row, r) => new ProcessRow(row.Timestamp?.ToOffset(TimeSpan.FromMinutes(330)), row.Values
            .Where((_, i) => r != plain.Rows.Count / 2 || i != 0)
            .Select((cell, i) => r == 3 && i == 1 ? KeyValuePair.Create(cell.Key, (double?)null) : cell)
            .Append(KeyValuePair.Create("\u6e29\u5ea6 \ud83d\udd25", (double?)BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000 + r)))
            .OrderBy(_ => random.Next())
            .ToDictionary(StringComparer.Ordinal))).ToList();
        var input = new CycleInput(rows);
        var expected = CycleSolver.RunHere(solver, deployed.Compiled, input, Settings.ToSolverSettings(), Settings.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);
        await using var pool = await StartAsync(Path.Combine(TestServers.Kiln, "store"));

        var reply = await pool.SolveAsync(Request(deployed.Version, null, input, deployed.ArtifactVersions), deployed.Artifacts, null, CancellationToken.None);

        Assert.Equal(Bits(expected), Bits(reply.Result!));
    }

    [Fact]
    public async Task Solve_UnknownVersion_ReportsWhyTheWorkerCouldNotLoadIt()
    {
        await using var pool = await StartAsync(Path.Combine(TestServers.Kiln, "store"));
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));

        var reply = await pool.SolveAsync(Request("9.9.9", null, input), [], null, CancellationToken.None);

        Assert.Null(reply.Result);
        Assert.Contains("9.9.9", reply.LoadError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Solve_SolverRefusesASetting_ErrorOutcomeWithTheSolversReasonAndTheWorkerLives()
    {
        // Issue 14: a SolverException inside a worker used to end the process, reported as "solver worker crashed".
        var folder = CliRunner.Fixture("hock-schittkowski");
        var text = await File.ReadAllTextAsync(Path.Combine(folder, "hs071.yaml"));
        var input = InputParser.ReadFile(Path.Combine(folder, "hs071-input.json"));
        await using var pool = await StartAsync(Path.Combine(TestServers.Kiln, "store"));
        var pid = await PidAsync(pool);

        var refused = await pool.SolveAsync(Request("inline", text, input) with { MaxIterations = -1 }, [], null, CancellationToken.None);
        var next = await pool.SolveAsync(Request("inline", text, input), [], null, CancellationToken.None);

        Assert.Equal(CycleStatus.Error, refused.Result!.Status);
        Assert.Contains("max_iter", refused.Result.Error, StringComparison.Ordinal);
        Assert.Equal(CycleStatus.Success, next.Result!.Status);
        Assert.Equal(0, pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(pid, await PidAsync(pool));
    }

    // The kiln example's deployed version as the service loads it from its store, and its latest window.
    private static async Task<(DeployedStrategy Deployed, CycleInput Input)> KilnAsync(IpoptSolver solver)
    {
        var store = new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") };
        var repository = new StrategyRepository(store.CreateStore(), store, solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        return (await repository.CurrentAsync(CancellationToken.None), InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv")));
    }

    private static async Task<int> PidAsync(WorkerPool pool)
    {
        while (pool.Workers[0].Pid is null)
        {
            await Task.Delay(20);
        }

        return pool.Workers[0].Pid!.Value;
    }

    internal static SolveRequest Request(string version, string? text, CycleInput input, IReadOnlyDictionary<string, string>? artifacts = null) =>
        new(WorkerProtocol.Version, version, text, input.Rows, Settings.MaxIterations, Settings.Tolerance, Settings.ExactHessian, Settings.MaxSolveSeconds, artifacts ?? new Dictionary<string, string>());

    private static async Task<WorkerPool> StartAsync(string root)
    {
        var pool = new WorkerPool(new SolverSettingsSection { Workers = 1 }, new StorageSettings { LocalRoot = root }, NullLogger<WorkerPool>.Instance);
        await pool.StartAsync(CancellationToken.None);
        return pool;
    }

    // Everything but the wall-clock timings, which differ from run to run wherever the solve happens.
    internal static string Bits(CycleResult result) => JsonSerializer.Serialize(
        result with { Solver = [.. result.Solver.Select(s => s with { Seconds = 0, CallbackSeconds = 0 })] }, Exact);
}
