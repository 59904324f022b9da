using System.Runtime.CompilerServices;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// What a <see cref="WorkspacePlan"/> is built from: the steps and extra rows (the same objects, compared by
/// reference: fixed steps and their rows are kept per combination of kink sides, so a piece meets its plan again),
/// the decision variables, the derivative order, and for a program its cost and constraint variables (-1 and none otherwise).
/// </summary>
internal sealed class PlanKey(IStep[] steps, ConditionRow[] rows, int[] decisions, int order, int cost, int[] constraints) : IEquatable<PlanKey>
{
    private readonly int _hash = Hash(steps, rows, decisions, order, cost, constraints);

    public IStep[] Steps => steps;

    public ConditionRow[] Rows => rows;

    public int[] Decisions => decisions;

    public int Order => order;

    public int Cost => cost;

    public int[] Constraints => constraints;

    public bool Equals(PlanKey? other) => other is not null && other._hash == _hash && Matches(other, steps, rows, decisions, order, cost, constraints);

    public override bool Equals(object? obj) => Equals(obj as PlanKey);

    public override int GetHashCode() => _hash;

    /// <summary>Whether <paramref name="key"/> was built from these parts (the steps and rows the same objects).</summary>
    internal static bool Matches(PlanKey key, IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> rows, IReadOnlyList<int> decisions, int order, int cost, int[] constraints) =>
        key.Order == order && key.Cost == cost && Same(key.Steps, steps) && Same(key.Rows, rows) && Equal(key.Decisions, decisions)
        && key.Constraints.AsSpan().SequenceEqual(constraints);

    /// <summary>The hash of a key built from these parts; the same for the lists as for their copies.</summary>
    internal static int Hash(IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> rows, IReadOnlyList<int> decisions, int order, int cost, int[] constraints)
    {
        var hash = new HashCode();
        hash.Add(order);
        hash.Add(cost);
        // Indexed loops: enumerating an IReadOnlyList boxes its enumerator, and a lookup allocates nothing.
        for (var i = 0; i < steps.Count; i++)
        {
            hash.Add(RuntimeHelpers.GetHashCode(steps[i]));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            hash.Add(RuntimeHelpers.GetHashCode(rows[i]));
        }

        for (var i = 0; i < decisions.Count; i++)
        {
            hash.Add(decisions[i]);
        }

        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(constraints.AsSpan()));
        return hash.ToHashCode();
    }

    private static bool Same<T>(T[] a, IReadOnlyList<T> b)
        where T : class
    {
        if (a.Length != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Equal(int[] a, IReadOnlyList<int> b)
    {
        if (a.Length != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
