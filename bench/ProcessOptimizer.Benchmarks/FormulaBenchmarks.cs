using BenchmarkDotNet.Attributes;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The seed's cost formula, compiled: value alone, value and gradient, value, gradient and Hessian.</summary>
[MemoryDiagnoser]
public class FormulaBenchmarks
{
    private BoundFormula _cost = null!;
    private readonly double[] _arguments = [0.02, 1.5, 0.3];
    private readonly double[] _gradient = new double[3];
    private readonly double[] _hessian = new double[6];

    [GlobalSetup]
    public void Setup()
    {
        var strategy = StrategyLoader.Load(File.ReadAllText(Path.Combine(Repository.Root, "tests", "fixtures", "seed-strategy-1.0.0.yaml")), "seed");
        _cost = FormulaBinder.Bind((MathFunctionSkill)strategy.Skills["mf_cost_function"], strategy, out _)!;
    }

    [Benchmark(Baseline = true)]
    public double Value() => _cost.Formula.Evaluate(_arguments);

    [Benchmark]
    public double ValueAndGradient() => _cost.Formula.Evaluate(_arguments, _gradient);

    [Benchmark]
    public double ValueGradientAndHessian() => _cost.Formula.Evaluate(_arguments, _gradient, _hessian);
}
