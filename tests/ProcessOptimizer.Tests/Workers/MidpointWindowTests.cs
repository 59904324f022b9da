using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Cli;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: the window a worker warms up on before any real one was sent, made from the strategy alone.</summary>
public sealed class MidpointWindowTests
{
    [Fact]
    public async Task Of_KilnStrategy_EveryTagItReadsAtTheMiddleOfItsLimitsOverItsLongestLag()
    {
        var solver = new IpoptSolver();
        var store = new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") };
        var repository = new StrategyRepository(store.CreateStore(), store, solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        var compiled = (await repository.CurrentAsync(CancellationToken.None)).Compiled;
        var longest = compiled.Definition.SkillsOf<InferenceModelSkill>().SelectMany(s => s.FeatureEngineering.LagOffsets.Values).Max(l => l.Lag + l.Offset);

        var window = MidpointWindow.Of(compiled);
        var result = CycleSolver.RunHere(solver, compiled, new CycleInput(window), new SolverSettings(), 60, TimeProvider.System, CancellationToken.None);

        Assert.True(longest > 0);
        Assert.Equal(longest + 1, window.Count);
        Assert.Equal(compiled.RequiredTags.Order(StringComparer.Ordinal), window.Tags.Order(StringComparer.Ordinal));
        var tag = compiled.RequiredTags[0];
        var variable = compiled.Definition.Variables[tag];
        Assert.Equal((variable.MinHardLimit + variable.MaxHardLimit) / 2, window.Value(window.Count - 1, window.TagIndex(tag)));
        Assert.NotEqual(CycleFailure.BadData, result.ErrorType);
        Assert.NotEmpty(result.Solver);
    }

    [Fact]
    public async Task WarmUpRequest_SolvesAtMostASecond_OnTheMidpointsAndOnAKeptWindow()
    {
        var solver = new IpoptSolver();
        var store = new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") };
        var repository = new StrategyRepository(store.CreateStore(), store, solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        var deployed = await repository.CurrentAsync(CancellationToken.None);
        var warmUp = new WorkerWarmUp(new Configuration.OptimizationSettings { MaxSolveSeconds = 30 }, NullLogger.Instance);
        var (midpoints, midpointsSent) = warmUp.For(deployed);
        var window = MidpointWindow.Of(deployed.Compiled);
        warmUp.Answered(warmUp.Copy(new SolveRequest(WorkerProtocol.Version, deployed.Version, null, window, 100, 1e-8, true, 20, deployed.ArtifactVersions, false, deployed.PointerKey))!);

        var (kept, keptSent) = warmUp.For(deployed);

        Assert.False(midpointsSent);
        Assert.Equal(1, midpoints.MaxSolveSeconds);
        Assert.True(keptSent);
        Assert.Equal(1, kept.MaxSolveSeconds);
        Assert.Equal(100, kept.MaxIterations);
    }

    [Fact]
    public void Of_StrategiesWithoutModels_OneRowThatEachSolvesOrRefusesWithAResult()
    {
        var solver = new IpoptSolver();
        foreach (var yaml in Directory.GetFiles(CliRunner.Fixture("hock-schittkowski"), "hs*.yaml").Order())
        {
            var (strategy, _) = StrategyLoader.Read(File.ReadAllText(yaml), solver.ValidateOption);
            var compiled = StrategyCompiler.Compile(strategy!, new Dictionary<string, IModel>());

            var window = MidpointWindow.Of(compiled);
            var result = CycleSolver.RunHere(solver, compiled, new CycleInput(window), new SolverSettings(), 60, TimeProvider.System, CancellationToken.None);

            Assert.Single(window);
            Assert.NotEqual(CycleFailure.BadData, result.ErrorType);
        }
    }
}
