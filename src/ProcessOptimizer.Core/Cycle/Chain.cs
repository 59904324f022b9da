using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>The chain rule from a formula's derivatives to derivatives with respect to the decision variables.</summary>
/// <remarks>
/// This and the other methods a solver calls back at every iteration are compiled fully optimized at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): under tiered compilation they ran unoptimized for
/// thousands of calls in a loop of cycles, and the callbacks took half of every kiln solve (BENCHMARKS.md).
/// </remarks>
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient(Workspace workspace, int[] dofs, double[] df, Span<double> output)
    {
        output.Clear();
        for (var k = 0; k < dofs.Length; k++)
        {
            if (df[k] != 0 && workspace.Active[dofs[k]])
            {
                var input = workspace.Gradient(dofs[k]);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] += df[k] * input[i];
                }
            }
        }
    }

    // d²f = Σ f_k H_k + Σ f_kl g_k g_lᵀ, over the packed lower triangle.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Hessian(Workspace workspace, int[] dofs, double[] df, double[] d2f, Span<double> output)
    {
        output.Clear();
        var n = workspace.DecisionCount;
        for (var k = 0; k < dofs.Length; k++)
        {
            if (!workspace.Active[dofs[k]])
            {
                continue;
            }

            if (df[k] != 0)
            {
                var input = workspace.Hessian(dofs[k]);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] += df[k] * input[i];
                }
            }

            Span<double> gk = workspace.Gradient(dofs[k]);
            for (var l = 0; l <= k; l++)
            {
                var c = d2f[CompiledFormula.HessianIndex(k, l)];
                if (c == 0 || !workspace.Active[dofs[l]])
                {
                    continue;
                }

                Span<double> gl = workspace.Gradient(dofs[l]);
                var p = 0;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j <= i; j++, p++)
                    {
                        output[p] += k == l ? c * gk[i] * gk[j] : c * ((gk[i] * gl[j]) + (gl[i] * gk[j]));
                    }
                }
            }
        }
    }
}
