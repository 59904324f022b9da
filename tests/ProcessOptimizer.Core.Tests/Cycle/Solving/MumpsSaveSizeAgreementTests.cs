using System.Runtime.InteropServices;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 19: skipping MUMPS's save-file sizing changes no answer. Every program a cycle hands to the solver is
/// solved twice, with the replacement and with MUMPS's own routine put back, and the two answers must agree to
/// the bit: the shipped Hock-Schittkowski problems with both Hessians, an infeasible problem (restoration phase)
/// and a solve stopped by its iteration limit.
/// </summary>
public class MumpsSaveSizeAgreementTests
{
    private static readonly IpoptSolver Ipopt = new();

    public static TheoryData<string, bool> Fixtures
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var name in new[] { "hs035", "hs039", "hs040", "hs043", "hs065", "hs071", "hs076", "hs100" })
            {
                data.Add(name, true);
                data.Add(name, false);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void HockSchittkowski_WithMumpsOwnSizing_SameAnswerToTheBit(string name, bool exactHessian)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "hock-schittkowski");
        var strategy = StrategyCompiler.Compile(StrategyLoader.Load(File.ReadAllText(Path.Combine(folder, $"{name}.yaml")), name), new Dictionary<string, Models.IModel>());
        var values = JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(folder, $"{name}-input.json")))!;
        var twin = new TwinSolver(Ipopt);

        var result = new CycleRunner(twin).Run(strategy, CycleInput.FromSingleRow(values), new SolverSettings { UseExactHessian = exactHessian }, CancellationToken.None);

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.True(twin.Solves > 0);
        Assert.Empty(twin.Differences);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void Infeasible_WithMumpsOwnSizing_SameAnswerToTheBit(int maxIterations)
    {
        // x1 + x2 >= 20 inside a box of ±1: IPOPT goes through its restoration phase, or stops at the limit.
        Term sum = new("x1 + x2", x => x[0] + x[1]), cost = new("(x1 - 0.3)**2 + x2**2", _ => 0);
        var problem = new SmallProblem([0, 0], [1, 1], [cost], [new Constraint(sum, 20, Constraint.None)]) { MaxIterations = maxIterations };
        var (strategy, input) = problem.Compiled();
        var twin = new TwinSolver(Ipopt);

        new CycleRunner(twin).Run(strategy, input, new SolverSettings { MaxIterations = maxIterations }, CancellationToken.None);

        Assert.True(twin.Solves > 0);
        Assert.Contains(twin.Statuses, s => s != SolveStatus.Succeeded);
        Assert.Empty(twin.Differences);
    }

    [Fact]
    public void SparseStrategy_WithMumpsOwnSizing_SameAnswerToTheBit()
    {
        var (strategy, input) = SparseStrategy.Build(40, 6);
        var twin = new TwinSolver(Ipopt);

        new CycleRunner(twin).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        Assert.True(twin.Solves >= 2);
        Assert.Empty(twin.Differences);
    }

    /// <summary>Solves each program as given, then again with MUMPS's own routine, and notes any difference.</summary>
    private sealed class TwinSolver(IpoptSolver inner) : INonlinearSolver
    {
        private static readonly Lock Swap = new();

        // MUMPS's routine itself, not what the entry held before: that is the lazy binder's stub, and a solve on
        // another thread resolving it while the entry is swapped back would write MUMPS's routine over the replacement.
        private static readonly nint MumpsOwn = NativeLibrary.GetExport(NativeLibrary.Load("libdmumps_seq-5.5.so"), MumpsSaveSize.Symbol);

        public List<string> Differences { get; } = [];

        public List<SolveStatus> Statuses { get; } = [];

        public int Solves { get; private set; }

        public string Name => inner.Name;

        public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

        public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
        {
            Assert.True(inner.SkipsMumpsSaveSize);
            var skipped = inner.Solve(program, settings, storage, cancellationToken);
            var kept = Copy(skipped);
            Solution computed;
            nint during;
            lock (Swap)
            {
                var replacement = ImportTable.Redirect(MumpsSaveSize.Library, MumpsSaveSize.Symbol, MumpsOwn);
                try
                {
                    Assert.Equal(MumpsSaveSize.Replacement, replacement);
                    computed = inner.Solve(program, settings, cancellationToken);
                }
                finally
                {
                    during = ImportTable.Redirect(MumpsSaveSize.Library, MumpsSaveSize.Symbol, MumpsSaveSize.Replacement);
                }
            }

            // MUMPS's own routine stayed in place for the whole second solve.
            Assert.Equal(MumpsOwn, during);

            Solves++;
            Statuses.Add(skipped.Status);
            var other = Copy(computed);
            if (kept != other)
            {
                Differences.Add($"solve {Solves}: skipped {kept} vs computed {other}");
            }

            return skipped;
        }

        private static string Copy(Solution s) => string.Join(" | ",
            s.Status, s.SolverStatus, s.Iterations, Bits([s.Objective]), Bits(s.X), Bits(s.Constraints),
            Bits(s.Multipliers?.Constraints ?? []), Bits(s.Multipliers?.Lower ?? []), Bits(s.Multipliers?.Upper ?? []));

        private static string Bits(double[] values) => string.Join(",", values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
