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

    public bool Equals(PlanKey? other) => other is not null && other._hash == _hash && other.Order == order && other.Cost == cost
        && Same(other.Steps, steps) && Same(other.Rows, rows) && other.Decisions.AsSpan().SequenceEqual(decisions) && other.Constraints.AsSpan().SequenceEqual(constraints);

    public override bool Equals(object? obj) => Equals(obj as PlanKey);

    public override int GetHashCode() => _hash;

    private static bool Same<T>(T[] a, T[] b)
        where T : class
    {
        if (a.Length != b.Length)
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

    private static int Hash(IStep[] steps, ConditionRow[] rows, int[] decisions, int order, int cost, int[] constraints)
    {
        var hash = new HashCode();
        hash.Add(order);
        hash.Add(cost);
        foreach (var step in steps)
        {
            hash.Add(RuntimeHelpers.GetHashCode(step));
        }

        foreach (var row in rows)
        {
            hash.Add(RuntimeHelpers.GetHashCode(row));
        }

        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(decisions.AsSpan()));
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(constraints.AsSpan()));
        return hash.ToHashCode();
    }
}
