using ProcessOptimizer.Cli;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.ObjectStores;

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
        var models = ModelSet.LoadAsync(strategy, new LocalFolderStore(Repository.KilnStore), CancellationToken.None, exact).GetAwaiter().GetResult();
        return (StrategyCompiler.Compile(strategy, models.Models), InputParser.ReadFile(Repository.KilnWindow), models);
    }
}
