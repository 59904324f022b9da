namespace ProcessOptimizer.Core.Cycle;

/// <summary>How a model input is formed from its variable (SEED-NOTES, InferenceModel).</summary>
internal enum InputKind
{
    /// <summary>dof − current: Delta variables, and Increment inputs.</summary>
    Increment,

    /// <summary>dof: Absolute Operative and Calculated inputs.</summary>
    Dof,

    /// <summary>The smoothed history window: Absolute Informative inputs. Fixed for the cycle.</summary>
    Smoothed,
}
