using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Which local derivatives of a step can be non-zero: what the chain rule needs to know to track, for every
/// variable, only the decision variables it depends on.
/// </summary>
/// <param name="First">First derivatives, read from the step's first-derivative buffer.</param>
/// <param name="Second">Second derivatives, read from its second-derivative buffer, in the order they are added.</param>
internal sealed record LocalDerivatives(ChainTerm[] First, ChainTerm[] Second)
{
    /// <summary>
    /// A formula's derivatives with respect to its differentiated arguments <paramref name="dofs"/> (gradient, then
    /// packed lower-triangular Hessian), leaving out those that simplified to the constant 0.
    /// </summary>
    public static LocalDerivatives OfFormula(CompiledFormula formula, int[] dofs)
    {
        var first = new List<ChainTerm>();
        var second = new List<ChainTerm>();
        for (var k = 0; k < dofs.Length; k++)
        {
            if (formula.GradientStructure[k])
            {
                first.Add(new ChainTerm(0, dofs[k], -1, k));
            }

            for (var l = 0; l <= k; l++)
            {
                var index = CompiledFormula.HessianIndex(k, l);
                if (!formula.HessianStructure[index])
                {
                    continue;
                }

                second.Add(new ChainTerm(0, dofs[k], dofs[l], index));
                if (k != l)
                {
                    second.Add(new ChainTerm(0, dofs[l], dofs[k], index));
                }
            }
        }

        return new LocalDerivatives([.. first], [.. second]);
    }
}
