using System.Runtime.CompilerServices;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>Gathers a formula's arguments from a state; <see cref="ChainPlan"/> applies the chain rule.</summary>
internal static class Chain
{
    /// <summary>Fills a formula's argument slots: dof values first, then current values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(VariableState state, int[] dofs, int[] currents, double[] args)
    {
        for (var k = 0; k < dofs.Length; k++)
        {
            args[k] = state.Dof[dofs[k]];
        }

        for (var k = 0; k < currents.Length; k++)
        {
            args[dofs.Length + k] = state.Current[currents[k]];
        }
    }
}
