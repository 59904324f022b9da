namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Numbers the tags of rows in the order they first appear, for <see cref="ProcessWindow.Of"/> and for checking a
/// request's tags. Rows read from one body share their tag strings and list them in the same order: a tag that is
/// the very string seen at the same place in the row before takes that number without its name being hashed; any
/// other is looked up by name.
/// </summary>
public sealed class TagNumbers
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private string?[] _lastAt = new string?[16];
    private int[] _numberAt = new int[16];

    /// <summary>The tags numbered so far, by number.</summary>
    public List<string> Names { get; } = [];

    /// <summary>Every tag that has a cell in one of <paramref name="rows"/>, numbered.</summary>
    public static TagNumbers In(IReadOnlyList<ProcessRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tags = new TagNumbers();
        foreach (var row in rows)
        {
            var position = 0;
            foreach (var tag in row.Values.Keys)
            {
                tags.Of(tag, position++);
            }
        }

        return tags;
    }

    /// <summary>The number of <paramref name="tag"/>, met at <paramref name="position"/> in its row; a new tag gets the next number.</summary>
    public int Of(string tag, int position)
    {
        if (position >= _lastAt.Length)
        {
            Array.Resize(ref _lastAt, 2 * position);
            Array.Resize(ref _numberAt, 2 * position);
        }

        if (ReferenceEquals(_lastAt[position], tag))
        {
            return _numberAt[position];
        }

        if (!_byName.TryGetValue(tag, out var number))
        {
            number = Names.Count;
            _byName.Add(tag, number);
            Names.Add(tag);
        }

        _lastAt[position] = tag;
        _numberAt[position] = number;
        return number;
    }
}
