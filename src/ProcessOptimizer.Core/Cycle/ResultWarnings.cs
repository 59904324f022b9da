using System.Collections;
using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A result's warnings when some are kept as their numbers (<see cref="PiecesWarning"/>): those are written out each
/// time they are read, to the same text, so a cycle whose result nobody reads makes none of it.
/// </summary>
/// <remarks>Immutable: the items are this result's own, and a warning kept as numbers is a record nobody changes.</remarks>
internal sealed class ResultWarnings(object[] items) : IReadOnlyList<string>
{
    public int Count => items.Length;

    public string this[int index] => Text(items[index]);

    /// <summary>The text of a warning kept as a string or as a <see cref="PiecesWarning"/>.</summary>
    public static string Text(object item) => item as string ?? ((PiecesWarning)item).Text();

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < items.Length; i++)
        {
            yield return Text(items[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
