using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>Runs the solves of one optimization and adds up what they cost, for the solver report.</summary>
/// <remarks>
/// A value, made per optimization of every cycle: its search holds it in a field that is not read-only (a solve
/// changes its counts), and the search's result holds a copy of it once the solves are over.
/// </remarks>
/// <param name="work">The optimization's own: each solve goes into its storage, and its warm solves into its list.</param>
internal struct SolveLog(SolveContext context, OptimizationWork work)
{
    private readonly OptimizationWork _work = work;
    private int _warmable;

    public int Solves { get; private set; }

    public int Iterations { get; private set; }

    public double Seconds { get; private set; }

    public double CallbackSeconds { get; private set; }

    /// <summary>The largest derivative-test error over every solve, when checking.</summary>
    public double? DerivativeError { get; private set; }

    /// <summary>The last evaluation failure a solve reported.</summary>
    public string? EvaluationError { get; private set; }

    /// <summary>How many solves ended at a limit (iterations, time); a warm start made again counts once, by its second solve.</summary>
    public int LimitsReached { get; private set; }

    /// <summary>This cycle's solves with the cost, for the next cycle of the same version to start from.</summary>
    public List<WarmSolve> WarmSolves { get; } = Emptied(work.WarmSolves);

    /// <summary>The solves that started from the previous cycle's counterpart.</summary>
    public int WarmStarted { get; private set; }

    /// <param name="warmable">False for a solve whose start is chosen on purpose (the feasibility search): it never starts elsewhere.</param>
    public Solution Solve(INonlinearProgram program, SolverSettings? settings = null, bool warmable = true)
    {
        settings ??= context.Settings;
        var index = _warmable;
        // The run's storage for this shape: a candidate copies the point it keeps, and a warm solve copies what it keeps
        // below, so the next solve may write over it.
        var storage = _work.Storage(program.Shape);
        Solution solution;
        if (warmable && Earlier(index) is { } earlier
            && earlier.X.Length == program.Shape.VariableCount && earlier.Multipliers.Constraints.Length == program.Shape.ConstraintCount)
        {
            WarmStarted++;
            solution = context.Solver.Solve(new RestartedProgram(program, earlier.X), settings with { WarmStart = earlier.Multipliers }, storage, context.Cancellation);
            if (solution.Status is not (SolveStatus.Succeeded or SolveStatus.AcceptableLevel) && !context.Cancellation.IsCancellationRequested)
            {
                // A warm start that does not end at an optimum says nothing about the problem (started at the last
                // cycle's optimum, IPOPT can stall there): the solve is made again as a cold cycle makes it, into the
                // same storage, since nothing keeps the failed one.
                Count(solution);
                solution = context.Solver.Solve(program, settings, storage, context.Cancellation);
            }
        }
        else
        {
            solution = context.Solver.Solve(program, settings, storage, context.Cancellation);
        }

        if (warmable)
        {
            // A solve without multipliers (it failed to start) still takes its place, so later solves pair by index.
            _warmable++;
            if (solution.Multipliers is { } multipliers)
            {
                // Copies of the storage's arrays: the next cycle's warm start is never written again.
                WarmSolves.Add(new WarmSolve(context.Name, index, [.. solution.X], new Multipliers([.. multipliers.Constraints], [.. multipliers.Lower], [.. multipliers.Upper])));
            }
        }

        Count(solution);
        LimitsReached += solution.Status == SolveStatus.LimitReached ? 1 : 0;
        return solution;
    }

    // The previous cycle's counterpart of this solve, looked for by index: a LINQ search made a closure, a delegate and
    // an enumerator per solve.
    private readonly WarmSolve? Earlier(int index)
    {
        if (context.Settings.Previous is not { } previous)
        {
            return null;
        }

        for (var s = 0; s < previous.Solves.Count; s++)
        {
            if (previous.Solves[s] is var solve && solve.Skill == context.Name && solve.Index == index)
            {
                return solve;
            }
        }

        return null;
    }

    private static List<WarmSolve> Emptied(List<WarmSolve> solves)
    {
        solves.Clear();
        return solves;
    }

    private void Count(Solution solution)
    {
        Solves++;
        Iterations += solution.Iterations;
        Seconds += solution.Seconds;
        CallbackSeconds += solution.CallbackSeconds;
        EvaluationError = solution.EvaluationError ?? EvaluationError;
        if (solution.DerivativeError is { } error)
        {
            DerivativeError = Math.Max(DerivativeError ?? 0, error);
        }
    }
}
