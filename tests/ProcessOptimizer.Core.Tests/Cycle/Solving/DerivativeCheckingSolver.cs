using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A solver that, before and after handing each program to the real one, compares the program's gradient,
/// constraint Jacobian and Lagrangian Hessian (random multipliers) with finite differences of its own values
/// and gradients, over every entry of the full matrices: a structural non-zero left out shows up as a
/// mismatch as surely as a wrong value.
/// </summary>
/// <remarks>
/// An entry passes when it agrees with the central, forward or backward difference: a point on a kink of a
/// program that keeps its kinks is then still judged by the side the program takes. A coordinate whose
/// neighbours do not evaluate (a domain error) is skipped and counted.
/// </remarks>
internal sealed class DerivativeCheckingSolver(INonlinearSolver inner, double relativeStep = 1e-6, double tolerance = 1e-4) : INonlinearSolver
{
    private readonly Lock _gate = new();

    public List<string> Failures { get; } = [];

    /// <summary>Entries compared, over all programs and points.</summary>
    public long Checked { get; private set; }

    public int Programs => Seen.Count;

    /// <summary>Every program handed to the solver, in order.</summary>
    public List<INonlinearProgram> Seen { get; } = [];

    public string Name => inner.Name;

    public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Seen.Add(program);
            Check(program, program.Shape.Start, settings.UseExactHessian, "start");
        }

        var solution = inner.Solve(program, settings, storage, cancellationToken);
        if (solution.X.All(double.IsFinite))
        {
            lock (_gate)
            {
                Check(program, solution.X, settings.UseExactHessian, "solution");
            }
        }

        return solution;
    }

    private void Check(INonlinearProgram program, double[] x, bool hessian, string where)
    {
        var shape = program.Shape;
        int n = shape.VariableCount, m = shape.ConstraintCount;
        var gradient = new double[n];
        double[,] jacobian;
        try
        {
            program.Objective(x);
            program.ObjectiveGradient(x, gradient);
            jacobian = DerivativeViews.Jacobian(program, x);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A program that does not evaluate at its start is the solver's case to report, not a derivative error.
            return;
        }

        var random = new Random(n + (31 * m));
        var multipliers = Enumerable.Range(0, m).Select(_ => random.NextDouble() - 0.5).ToArray();
        const double factor = 0.75;
        var lagrangian = hessian && program.HasExactHessian ? DerivativeViews.Hessian(program, x, factor, multipliers) : null;
        for (var i = 0; i < n; i++)
        {
            var h = relativeStep * Math.Max(1, Math.Abs(x[i]));
            var (up, down) = ((double[])x.Clone(), (double[])x.Clone());
            up[i] += h;
            down[i] -= h;
            double fUp, fDown, f0;
            double[] gUp, gDown, cUp, cDown, c0 = new double[m];
            double[,] jUp, jDown;
            try
            {
                (fUp, gUp, cUp, jUp) = At(program, up);
                (fDown, gDown, cDown, jDown) = At(program, down);
                f0 = program.Objective(x);
                program.Constraints(x, c0);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue;
            }

            Compare(gradient[i], fUp, f0, fDown, h, $"{where}: df/dx{i}");
            for (var j = 0; j < m; j++)
            {
                Compare(jacobian[j, i], cUp[j], c0[j], cDown[j], h, $"{where}: dg{j}/dx{i}");
            }

            if (lagrangian is null)
            {
                continue;
            }

            var lUp = LagrangianGradient(gUp, jUp, factor, multipliers);
            var lDown = LagrangianGradient(gDown, jDown, factor, multipliers);
            var l0 = LagrangianGradient(gradient, jacobian, factor, multipliers);
            for (var r = i; r < n; r++)
            {
                Compare(lagrangian[r, i], lUp[r], l0[r], lDown[r], h, $"{where}: d2L/dx{r}dx{i}");
            }
        }
    }

    private static (double F, double[] G, double[] C, double[,] J) At(INonlinearProgram program, double[] x)
    {
        var gradient = new double[x.Length];
        var constraints = new double[program.Shape.ConstraintCount];
        var f = program.Objective(x);
        program.ObjectiveGradient(x, gradient);
        program.Constraints(x, constraints);
        return (f, gradient, constraints, DerivativeViews.Jacobian(program, x));
    }

    private static double[] LagrangianGradient(double[] gradient, double[,] jacobian, double factor, double[] multipliers)
    {
        var result = gradient.Select(g => factor * g).ToArray();
        for (var j = 0; j < multipliers.Length; j++)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] += multipliers[j] * jacobian[j, i];
            }
        }

        return result;
    }

    private void Compare(double analytic, double up, double at, double down, double h, string what)
    {
        Checked++;
        var (central, forward, backward) = ((up - down) / (2 * h), (up - at) / h, (at - down) / h);
        // Relative agreement, plus the rounding of the values themselves divided by the step.
        var noise = (1e3 * 2.2e-16 * Math.Max(Math.Abs(at), Math.Max(Math.Abs(up), Math.Abs(down))) / h);
        var allowed = (tolerance * Math.Max(1, Math.Max(Math.Abs(analytic), Math.Abs(central)))) + noise;
        if (new[] { central, forward, backward }.Any(d => Math.Abs(analytic - d) <= allowed))
        {
            return;
        }

        if (Failures.Count < 20)
        {
            Failures.Add($"{what}: analytic {analytic:R}, differences {central:R} (central), {forward:R} (forward), {backward:R} (backward)");
        }
    }
}
