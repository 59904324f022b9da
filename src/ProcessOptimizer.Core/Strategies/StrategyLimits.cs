namespace ProcessOptimizer.Core.Strategies;

/// <summary>
/// How large a strategy may be, checked while it is read, before anything is built for it: a formula or model that
/// mixes many decisions makes the Jacobian and Hessian grow with the product and square of the counts, so an
/// unchecked size is a way to hold the solver or exhaust memory. (The derivatives' structure is also capped per
/// solve, see <c>DerivativeLayout.MaxEntries</c>.)
/// </summary>
/// <remarks>The defaults are for stored strategies and far above the seed's (30 variables, 6 decisions); <see cref="Inline"/> is for strategies sent with a request.</remarks>
public sealed record StrategyLimits
{
    /// <summary>Entries under <c>variables</c>.</summary>
    public int MaxVariables { get; init; } = 5_000;

    /// <summary>Entries under <c>skills</c>.</summary>
    public int MaxSkills { get; init; } = 2_000;

    /// <summary>Inputs of all OptimizationSkills together.</summary>
    public int MaxDecisionVariables { get; init; } = 2_000;

    /// <summary>Template rows of all Constraints skills together.</summary>
    public int MaxConstraints { get; init; } = 1_000;

    /// <summary>
    /// Nodes all formulas compile to together, values and derivatives: compiling them is work done at load and,
    /// for Hessians, inside the first solve, where no deadline can interrupt it.
    /// </summary>
    public long MaxCompiledNodes { get; init; } = 2_000_000;

    /// <summary>
    /// Steps the tasks together, or a cost skill, run once their compositions are expanded, each listing counted as
    /// often as it appears: a composition that lists another twice, forty levels deep, is a few lines that run 2^40 steps.
    /// </summary>
    public int MaxSteps { get; init; } = 10_000;

    /// <summary>
    /// Optimizations a cycle runs, counted as <see cref="MaxSteps"/> is: each one past the cycle's deadline still
    /// sets up a solve that stops at its first callback, a few milliseconds that thousands of them make minutes.
    /// </summary>
    public int MaxOptimizations { get; init; } = 100;

    /// <summary>Longest name of a variable or skill, and longest units, in characters (the seed's are under 50).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Most history rows a model's lag and offset may reach back together: a week of 1-minute data.</summary>
    public const int MaxHistoryRows = 10_080;

    /// <summary>The limits for a strategy sent inline with an unauthenticated request.</summary>
    public static StrategyLimits Inline { get; } = new() { MaxVariables = 500, MaxSkills = 200, MaxDecisionVariables = 100, MaxConstraints = 200, MaxCompiledNodes = 200_000, MaxSteps = 1_000, MaxOptimizations = 10 };

    /// <summary>Every problem with the values themselves, for configuration checks.</summary>
    public IEnumerable<string> Problems(string section)
    {
        foreach (var (name, value) in new[] { (nameof(MaxVariables), MaxVariables), (nameof(MaxSkills), MaxSkills), (nameof(MaxDecisionVariables), MaxDecisionVariables), (nameof(MaxConstraints), MaxConstraints), (nameof(MaxCompiledNodes), MaxCompiledNodes), (nameof(MaxSteps), MaxSteps), (nameof(MaxOptimizations), MaxOptimizations) })
        {
            if (value < 1)
            {
                yield return $"{section}:{name} must be at least 1 (got {value})";
            }
        }
    }
}
