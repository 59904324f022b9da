namespace ProcessOptimizer.Core.Optimization;

/// <summary>How a solve ended, in the categories the service acts on.</summary>
public enum SolveStatus
{
    /// <summary>Converged to the requested tolerance.</summary>
    Succeeded,

    /// <summary>Converged to the solver's looser "acceptable" tolerance.</summary>
    AcceptableLevel,

    /// <summary>The solver found the constraints locally infeasible.</summary>
    Infeasible,

    /// <summary>The iteration or time limit was reached.</summary>
    LimitReached,

    /// <summary>Numerical trouble, evaluation errors, or any other failure.</summary>
    Failed,
}
