namespace ProcessOptimizer.Backtests;

/// <summary>One decision variable over the solved steps.</summary>
/// <param name="MeanAbsMove">Mean |recommended − current|; a held value counts as no move.</param>
/// <param name="AtMoveLimit">Share of solved steps whose recommendation is at an end of the move window (current ± threshold).</param>
/// <param name="AtHardLimit">Share at the variable's minimum or maximum hard limit.</param>
/// <param name="Agreement">Of the steps where the recommendation moves the variable and the next step shows where the
/// operators took it, the share where both went the same way; null without such steps.</param>
public sealed record DecisionSummary(double MeanAbsMove, double AtMoveLimit, double AtHardLimit, double? Agreement, int AgreementSamples);
