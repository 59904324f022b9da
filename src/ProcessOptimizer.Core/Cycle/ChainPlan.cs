using System.Runtime.CompilerServices;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The chain rule of one evaluation of one step (or extra row), fixed for a <see cref="DerivativeLayout"/>: for each
/// local derivative, where each of its input's non-zeros lands among the output's. Applying it touches only
/// structural non-zeros and allocates nothing.
/// </summary>
/// <remarks>
/// g_y = Σ f_k g_k and H_y = Σ f_k H_k + Σ f_kl g_k g_lᵀ, over the lower triangle.
/// This and the other methods a solver calls back at every iteration are compiled fully optimized at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): under tiered compilation they ran unoptimized for
/// thousands of calls in a loop of cycles (BENCHMARKS.md).
/// </remarks>
internal sealed class ChainPlan
{
    private readonly int[] _outputs;
    private readonly Scatter[] _gradients;
    private readonly Scatter[] _hessians;
    private readonly Outer[] _outers;

    public ChainPlan(int[] outputs, LocalDerivatives local, DerivativeLayout layout, bool second)
    {
        _outputs = outputs;
        HasDerivatives = outputs.Any(o => layout.Columns[o].Length > 0);
        _gradients = [.. local.First
            .Where(t => layout.Columns[t.Input].Length > 0)
            .Select(t => new Scatter(t.Output, t.Input, t.Coefficient, Positions(layout.Columns[t.Input], layout.Columns[outputs[t.Output]])))];
        _hessians = !second ? [] : [.. local.First
            .Where(t => layout.Entries[t.Input].Length > 0)
            .Select(t => new Scatter(t.Output, t.Input, t.Coefficient, Positions(layout.Entries[t.Input], layout.Entries[outputs[t.Output]])))];
        _outers = !second ? [] : [.. local.Second
            .Where(t => layout.Columns[t.Input].Length > 0 && layout.Columns[t.Other].Length > 0)
            .Select(t => Outer.Of(t, layout, outputs[t.Output]))];
    }

    /// <summary>Whether any output can depend on the decision variables; if not, the step needs no derivatives.</summary>
    public bool HasDerivatives { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Workspace workspace, double[] first, double[] second, int order)
    {
        foreach (var output in _outputs)
        {
            workspace.Gradient(output).Clear();
            if (order >= 2)
            {
                workspace.Hessian(output).Clear();
            }
        }

        foreach (var term in _gradients)
        {
            Add(first[term.Coefficient], workspace.Gradient(term.Source), workspace.Gradient(_outputs[term.Output]), term.Positions);
        }

        if (order < 2)
        {
            return;
        }

        foreach (var term in _hessians)
        {
            Add(first[term.Coefficient], workspace.Hessian(term.Source), workspace.Hessian(_outputs[term.Output]), term.Positions);
        }

        foreach (var term in _outers)
        {
            var c = second[term.Coefficient];
            if (c == 0)
            {
                continue;
            }

            ReadOnlySpan<double> a = workspace.Gradient(term.A), b = workspace.Gradient(term.B);
            var target = workspace.Hessian(term.Target);
            for (var t = 0; t < term.Positions.Length; t++)
            {
                target[term.Positions[t]] += c * a[term.FromA[t]] * b[term.FromB[t]];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(double factor, ReadOnlySpan<double> source, Span<double> target, int[] positions)
    {
        if (factor == 0)
        {
            return;
        }

        for (var t = 0; t < positions.Length; t++)
        {
            target[positions[t]] += factor * source[t];
        }
    }

    // Every element of `from` is in `into`: the layout's union made it so.
    private static int[] Positions<T>(T[] from, T[] into) => [.. from.Select(value => Array.BinarySearch(into, value))];

    /// <param name="Positions">For each non-zero of the source, its place among the output's.</param>
    private sealed record Scatter(int Output, int Source, int Coefficient, int[] Positions);

    /// <summary>The entries of g_A g_Bᵀ on or below the diagonal: FromA[t], FromB[t] give the factors of entry Positions[t].</summary>
    private sealed record Outer(int Target, int A, int B, int Coefficient, int[] FromA, int[] FromB, int[] Positions)
    {
        public static Outer Of(ChainTerm term, DerivativeLayout layout, int target)
        {
            var (a, b, entries) = (layout.Columns[term.Input], layout.Columns[term.Other], layout.Entries[target]);
            var (fromA, fromB, positions) = (new List<int>(), new List<int>(), new List<int>());
            for (var i = 0; i < a.Length; i++)
            {
                for (var j = 0; j < b.Length; j++)
                {
                    if (a[i] >= b[j])
                    {
                        fromA.Add(i);
                        fromB.Add(j);
                        positions.Add(Array.BinarySearch(entries, DerivativeLayout.Key(a[i], b[j])));
                    }
                }
            }

            return new Outer(target, term.Input, term.Other, term.Coefficient, [.. fromA], [.. fromB], [.. positions]);
        }
    }
}
