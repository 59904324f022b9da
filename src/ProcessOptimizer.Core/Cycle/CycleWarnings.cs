using System.Collections;
using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// One cycle's warnings in the order they come: texts, and warnings kept as their numbers until someone reads them
/// (<see cref="PiecesWarning"/>, which carries the cost and so is a new text every minute). Rented with the cycle's
/// scratch; the result keeps a copy (<see cref="ToResult"/>).
/// </summary>
/// <remarks>Read as texts (<see cref="ICollection{T}"/>), every warning is written out.</remarks>
internal sealed class CycleWarnings : ICollection<string>
{
    // Each a string or a PiecesWarning; both compare by value, and never equal to each other.
    private readonly List<object> _items = [];
    private int _pieces;

    public int Count => _items.Count;

    public bool IsReadOnly => false;

    public void Add(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _items.Add(item);
    }

    public void Add(PiecesWarning item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _items.Add(item);
        _pieces++;
    }

    // By index: the lists are interfaces, and a foreach over one boxed an enumerator.
    public void AddRange(IReadOnlyList<string> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            Add(items[i]);
        }
    }

    public void Clear()
    {
        _items.Clear();
        _pieces = 0;
    }

    public bool Contains(string item) => IndexOfText(item) >= 0;

    public void CopyTo(string[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var i = 0; i < _items.Count; i++)
        {
            array[arrayIndex + i] = ResultWarnings.Text(_items[i]);
        }
    }

    public bool Remove(string item)
    {
        var i = IndexOfText(item);
        if (i < 0)
        {
            return false;
        }

        _pieces -= _items[i] is PiecesWarning ? 1 : 0;
        _items.RemoveAt(i);
        return true;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < _items.Count; i++)
        {
            yield return ResultWarnings.Text(_items[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The warnings as a result keeps them, repeats taken out (the first kept): an array of their exact size when all
    /// are texts, else a list that writes out the others when read. Takes the repeats out of this list too.
    /// </summary>
    public IReadOnlyList<string> ToResult()
    {
        for (var i = _items.Count - 1; i > 0; i--)
        {
            if (Repeats(i))
            {
                _pieces -= _items[i] is PiecesWarning ? 1 : 0;
                _items.RemoveAt(i);
            }
        }

        if (_pieces > 0)
        {
            return new ResultWarnings([.. _items]);
        }

        var texts = _items.Count == 0 ? [] : new string[_items.Count];
        CopyTo(texts, 0);
        return texts;
    }

    // Whether an earlier warning has the same text as warning i. Two kept as numbers are compared by their texts when
    // their numbers differ (costs that differ past six digits write out the same), as the texts were compared before.
    private bool Repeats(int i)
    {
        var item = _items[i];
        for (var j = 0; j < i; j++)
        {
            var same = (_items[j], item) switch
            {
                (string a, string b) => a == b,
                (PiecesWarning a, PiecesWarning b) => a == b || a.Text() == b.Text(),
                _ => false,
            };
            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private int IndexOfText(string text)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (ResultWarnings.Text(_items[i]) == text)
            {
                return i;
            }
        }

        return -1;
    }
}
