using System.Globalization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// For every slot (a variable, or an extra row after the variables), the decision variables its gradient can depend
/// on and the entries of its Hessian that can be non-zero, found by running the chain rule on structure alone; and
/// where each slot's values start in the workspace's arrays. Memory is proportional to these non-zeros.
/// </summary>
internal sealed class DerivativeLayout
{
    /// <summary>
    /// Most structural non-zeros (gradients and Hessians of all slots together) one workspace may hold: about
    /// 160 MB with their positions. A problem above it is refused before anything that large is allocated.
    /// </summary>
    public const long MaxEntries = 10_000_000;

    private DerivativeLayout(int[][] columns, long[][] entries)
    {
        Columns = columns;
        Entries = entries;
        GradientStart = new int[columns.Length];
        HessianStart = new int[columns.Length];
        long gradients = 0, hessians = 0;
        for (var s = 0; s < columns.Length; s++)
        {
            (GradientStart[s], HessianStart[s]) = ((int)gradients, (int)hessians);
            gradients += columns[s].Length;
            hessians += entries[s].Length;
        }

        (GradientLength, HessianLength) = ((int)gradients, (int)hessians);
    }

    /// <summary>Per slot, the decision variables (their indices) its gradient can depend on, ascending.</summary>
    public int[][] Columns { get; }

    /// <summary>Per slot, the Hessian entries (see <see cref="Key"/>) that can be non-zero, ascending.</summary>
    public long[][] Entries { get; }

    public int[] GradientStart { get; }

    public int[] HessianStart { get; }

    public int GradientLength { get; }

    public int HessianLength { get; }

    /// <summary>A lower-triangle entry (row ≥ column) as one number that sorts row by row.</summary>
    public static long Key(int row, int column) => ((long)row << 32) | (uint)column;

    public static (int Row, int Column) Entry(long key) => ((int)(key >> 32), (int)(key & uint.MaxValue));

    /// <summary>
    /// The layout of <paramref name="slots"/> slots where decision i is the slot <paramref name="decisions"/>[i], and
    /// each evaluable writes its outputs' slots from its local derivatives, in order.
    /// </summary>
    /// <exception cref="CycleException">The structure holds more than <paramref name="maxEntries"/> non-zeros (<see cref="CycleFailure.Solver"/>).</exception>
    /// <param name="maxEntries">The most non-zeros allowed; <see cref="MaxEntries"/> unless a test needs a small one.</param>
    public static DerivativeLayout Build(int slots, IReadOnlyList<int> decisions, IReadOnlyList<(int[] Outputs, LocalDerivatives Local)> evaluables, bool second, long maxEntries = MaxEntries)
    {
        var columns = new HashSet<int>?[slots];
        var entries = new HashSet<long>?[slots];
        for (var i = 0; i < decisions.Count; i++)
        {
            (columns[decisions[i]] ??= []).Add(i);
        }

        // One pass is exact when every evaluable reads only what earlier ones wrote; a step that appears twice, or
        // reads what a later one writes, needs passes until nothing grows.
        var total = (long)decisions.Count;
        var again = ReadsLaterOutputs(evaluables);
        do
        {
            var before = total;
            foreach (var (outputs, local) in evaluables)
            {
                total = Grow(columns, entries, outputs, local, second, total, decisions.Count, maxEntries);
            }

            again &= total != before;
        }
        while (again);

        return new DerivativeLayout(
            [.. columns.Select(c => c is null ? [] : c.Order().ToArray())],
            [.. entries.Select(e => e is null ? [] : e.Order().ToArray())]);
    }

    // Returns the new total, checked against the limit as it grows: one outer product alone can be far too large.
    private static long Grow(HashSet<int>?[] columns, HashSet<long>?[] entries, int[] outputs, LocalDerivatives local, bool second, long total, int decisions, long maxEntries)
    {
        var added = 0L;
        void Check()
        {
            if (total + added > maxEntries)
            {
                throw new CycleException(CycleFailure.Solver, string.Create(CultureInfo.InvariantCulture,
                    $"the derivatives over {decisions} decision variables would hold more than {maxEntries:N0} structural non-zeros; the problem is refused"));
            }
        }

        foreach (var term in local.First)
        {
            var output = outputs[term.Output];
            if (columns[term.Input] is { Count: > 0 } source)
            {
                added += Union(columns[output] ??= [], source);
            }

            if (second && entries[term.Input] is { Count: > 0 } hessian)
            {
                added += Union(entries[output] ??= [], hessian);
            }

            Check();
        }

        if (!second)
        {
            return total + added;
        }

        foreach (var term in local.Second)
        {
            if (columns[term.Input] is not { Count: > 0 } a || columns[term.Other] is not { Count: > 0 } b)
            {
                continue;
            }

            var target = entries[outputs[term.Output]] ??= [];
            foreach (var row in a)
            {
                var before = target.Count;
                foreach (var column in b)
                {
                    if (row >= column)
                    {
                        target.Add(Key(row, column));
                    }
                }

                added += target.Count - before;
                Check();
            }
        }

        return total + added;
    }

    private static int Union<T>(HashSet<T> target, HashSet<T> source)
    {
        var before = target.Count;
        target.UnionWith(source);
        return target.Count - before;
    }

    private static bool ReadsLaterOutputs(IReadOnlyList<(int[] Outputs, LocalDerivatives Local)> evaluables)
    {
        var written = new HashSet<int>();
        for (var e = evaluables.Count - 1; e >= 0; e--)
        {
            written.UnionWith(evaluables[e].Outputs);
            if (evaluables[e].Local.First.Any(t => written.Contains(t.Input)))
            {
                return true;
            }
        }

        return false;
    }
}
