using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Strategies compiled and inputs read once, as a warm service holds them.</summary>
internal static class Fixtures
{
    public static (CompiledStrategy Strategy, CycleInput Input) HockSchittkowski(string name)
    {
        var strategy = StrategyLoader.Load(File.ReadAllText(Path.Combine(Repository.HockSchittkowski, $"{name}.yaml")), name);
        var input = InputParser.ReadFile(Path.Combine(Repository.HockSchittkowski, $"{name}-input.json"));
        return (StrategyCompiler.Compile(strategy, new Dictionary<string, Core.Models.IModel>()), input);
    }

    /// <summary>The kiln example with its ONNX model; the caller owns the models.</summary>
    public static (CompiledStrategy Strategy, CycleInput Input, IDisposable Models) Kiln(bool exact = true)
    {
        var strategy = StrategyLoader.Load(File.ReadAllText(Repository.KilnStrategy), "kiln", new IpoptSolver().ValidateOption);
        var built = new StrategyBuilder(new LocalFolderStore(Repository.KilnStore), cache: null, preferExact: exact).BuildAsync("kiln", "kiln", "1.0.0", strategy, [], null, apart: true, CancellationToken.None).GetAwaiter().GetResult();
        return (built.Compiled, InputParser.ReadFile(Repository.KilnWindow), new Dropping(built));
    }

    // The caller's handle on models loaded apart: disposing it drops the version, which frees them.
    private sealed class Dropping(DeployedStrategy built) : IDisposable
    {
        public void Dispose() => built.Drop();
    }
}
