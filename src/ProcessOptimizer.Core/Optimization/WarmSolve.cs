namespace ProcessOptimizer.Core.Optimization;

/// <summary>One solve of a cycle, to warm-start its counterpart in the next cycle.</summary>
/// <param name="Skill">The OptimizationSkill it belongs to.</param>
/// <param name="Index">Its place among that skill's solves with the cost (probes and pieces; not the feasibility searches).</param>
public sealed record WarmSolve(string Skill, int Index, double[] X, Multipliers Multipliers);
