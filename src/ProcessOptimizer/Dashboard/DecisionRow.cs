namespace ProcessOptimizer.Dashboard;

/// <summary>One decision variable of a run: where it was, where the optimizer would put it, and the limits it moved within.</summary>
/// <param name="MoveLow">The move window's lower end: <c>max(min_hard_limit, current − threshold)</c>.</param>
/// <param name="MoveHigh">The move window's upper end: <c>min(max_hard_limit, current + threshold)</c>.</param>
/// <param name="AtLimit">Which limit the recommendation sits on: <c>hard-low</c>, <c>hard-high</c>, <c>move-low</c>, <c>move-high</c>; null when inside.</param>
public sealed record DecisionRow(
    string Variable,
    string Units,
    double Current,
    double Recommended,
    double Move,
    double MoveLow,
    double MoveHigh,
    double HardLow,
    double HardHigh,
    string? AtLimit);
