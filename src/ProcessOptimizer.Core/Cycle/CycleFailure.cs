namespace ProcessOptimizer.Core.Cycle;

/// <summary>Why a cycle could not produce a recommendation, before or outside the solver.</summary>
public enum CycleFailure
{
    /// <summary>Required tags are missing or not finite in the newest row.</summary>
    BadData,

    /// <summary>A formula failed at the operating point.</summary>
    Formula,

    /// <summary>A model failed to evaluate.</summary>
    Model,

    /// <summary>The strategy cannot run as configured (for example a missing model).</summary>
    Configuration,

    /// <summary>The solver could not be set up: it rejected the problem or a setting.</summary>
    Solver,
}
