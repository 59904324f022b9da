namespace ProcessOptimizer.Core.Strategies;

/// <summary>History rows <c>[-(Lag+Offset), -Lag)</c> feed an Absolute input; Increment uses dof − current.</summary>
public sealed record LagOffset(int Lag, int Offset, Variation Variation);
