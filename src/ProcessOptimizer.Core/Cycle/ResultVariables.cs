using System.Collections;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A result's variables as one array of values laid out by the strategy's <see cref="VariableLayout"/>: each
/// <see cref="VariableResult"/> is made when it is read, so a cycle allocates one array for them and no more.
/// </summary>
/// <remarks>Immutable: the values are this result's own, written once before it is handed out.</remarks>
internal sealed class ResultVariables(VariableLayout layout, double[] values) : IReadOnlyList<VariableResult>
{
    public int Count => layout.Descriptions.Length;

    public VariableResult this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var (current, slot) = (values[index], layout.Recommended[index]);
            return new VariableResult(layout.Descriptions[index], current, slot < 0 ? current : values[slot]);
        }
    }

    public IEnumerator<VariableResult> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
