namespace ProcessOptimizer.Core.Strategies;

/// <summary>The seed's variable types.</summary>
public enum VariableType
{
    /// <summary>A setpoint the optimizer may move.</summary>
    Operative,

    /// <summary>Measured, read only.</summary>
    Informative,

    /// <summary>Computed from raw tags before optimizing, then optimizable.</summary>
    Calculated,

    /// <summary>A change.</summary>
    Delta,

    /// <summary>A model result.</summary>
    Predicted,

    /// <summary>Cost terms and other computed quantities.</summary>
    CalculatedKPI,

    /// <summary>A constraint quantity.</summary>
    Constraint,
}
