namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// One local derivative of a step: output <see cref="Output"/> (an index among the step's outputs) with respect to
/// the variable <see cref="Input"/>, read at <see cref="Coefficient"/> of the step's derivative buffer. A second-order
/// term is d²output/dInput dOther, and adds its coefficient times the entries of g_Input g_Otherᵀ on or below the
/// diagonal; a symmetric pair (a, b), a ≠ b, is therefore given as two terms, (a, b) and (b, a).
/// </summary>
internal readonly record struct ChainTerm(int Output, int Input, int Other, int Coefficient);
