using System.Collections;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A data window held by column: per tag, its values over the rows (oldest first), and whether each cell held a
/// value, a null or nothing at all. A cycle reads the columns as they are, so a window read from the database
/// builds no row objects and no dictionaries; the rows are there too, made on demand, for whoever needs rows.
/// </summary>
/// <remarks>
/// Every array is exactly <see cref="Count"/> long, so a column can serve as a variable's history as it is.
/// A window rented from a pool (a data source's) goes back there when disposed; it must not be read after that,
/// nor a column taken from it. A window not from a pool ignores <see cref="Dispose"/>.
/// </remarks>
public sealed class ProcessWindow : IReadOnlyList<ProcessRow>, IDisposable
{
    private const byte HasValue = 0;
    private const byte IsNull = 1;
    private const byte IsAbsent = 2;

    private readonly string[] _tags;
    private readonly Dictionary<string, int> _index;
    private readonly Action<ProcessWindow>? _release;
    private DateTimeOffset?[] _times = [];
    private readonly double[][] _columns;
    private readonly byte[][] _kinds;
    private int _rented;

    /// <param name="release">Takes the window back when it is disposed; null for a window of its own.</param>
    public ProcessWindow(IReadOnlyList<string> tags, int rows, Action<ProcessWindow>? release = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        _tags = [.. tags];
        _index = new Dictionary<string, int>(_tags.Length, StringComparer.Ordinal);
        for (var t = 0; t < _tags.Length; t++)
        {
            _index.TryAdd(_tags[t], t);
        }

        _columns = new double[_tags.Length][];
        _kinds = new byte[_tags.Length][];
        _release = release;
        Resize(rows);
    }

    public IReadOnlyList<string> Tags => _tags;

    public int Count => _times.Length;

    /// <summary>The row made on demand: a dictionary of the tags that have a cell in it (null where the cell is null).</summary>
    public ProcessRow this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var values = new Dictionary<string, double?>(_tags.Length, StringComparer.Ordinal);
            for (var t = 0; t < _tags.Length; t++)
            {
                if (_kinds[t][index] != IsAbsent)
                {
                    values[_tags[t]] = Value(index, t);
                }
            }

            return new ProcessRow(_times[index], values);
        }
    }

    /// <summary>The window of <paramref name="rows"/>, oldest first: the tags in the order they first appear.</summary>
    public static ProcessWindow Of(IReadOnlyList<ProcessRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows is ProcessWindow window)
        {
            return window;
        }

        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            tags.AddRange(row.Values.Keys.Where(seen.Add));
        }

        var result = new ProcessWindow(tags, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            result.SetTime(r, rows[r].Timestamp);
            for (var t = 0; t < tags.Count; t++)
            {
                if (rows[r].Values.TryGetValue(tags[t], out var value))
                {
                    result.Set(r, t, value);
                }
                else
                {
                    result.SetAbsent(r, t);
                }
            }
        }

        return result;
    }

    /// <summary>The tag's column number, or -1 when the window has no such tag.</summary>
    public int TagIndex(string tag) => _index.TryGetValue(tag, out var t) ? t : -1;

    public DateTimeOffset? Timestamp(int row) => _times[row];

    /// <summary>The tag's values over the rows, NaN where a cell is null or absent. Read-only: it is the window's own.</summary>
    public double[] Column(int tag) => _columns[tag];

    /// <summary>The cell's value, or null where it is null or absent.</summary>
    public double? Value(int row, int tag) => _kinds[tag][row] == HasValue ? _columns[tag][row] : null;

    /// <summary>Whether the row has a cell for the tag, null or not.</summary>
    public bool Has(int row, int tag) => _kinds[tag][row] != IsAbsent;

    /// <summary>Makes the window <paramref name="rows"/> long; the cells must then be set. Reuses the arrays when the length is the same.</summary>
    public void Resize(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == _times.Length && (_tags.Length == 0 || _columns[0] is not null))
        {
            return;
        }

        _times = new DateTimeOffset?[rows];
        for (var t = 0; t < _tags.Length; t++)
        {
            _columns[t] = new double[rows];
            _kinds[t] = new byte[rows];
        }
    }

    /// <summary>Keeps only the last <paramref name="rows"/> rows (for a reader that filled the window from its end).</summary>
    public void KeepLast(int rows)
    {
        var from = Count - rows;
        if (from == 0)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(from, nameof(rows));
        _times = _times[from..];
        for (var t = 0; t < _tags.Length; t++)
        {
            _columns[t] = _columns[t][from..];
            _kinds[t] = _kinds[t][from..];
        }
    }

    public void SetTime(int row, DateTimeOffset? time) => _times[row] = time;

    public void Set(int row, int tag, double? value)
    {
        _columns[tag][row] = value ?? double.NaN;
        _kinds[tag][row] = value is null ? IsNull : HasValue;
    }

    public void SetAbsent(int row, int tag)
    {
        _columns[tag][row] = double.NaN;
        _kinds[tag][row] = IsAbsent;
    }

    /// <summary>Marks the window taken from its pool; <see cref="Dispose"/> gives it back once.</summary>
    public void Rent() => Volatile.Write(ref _rented, 1);

    /// <summary>Gives a rented window back to its pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 1)
        {
            _release?.Invoke(this);
        }
    }

    public IEnumerator<ProcessRow> GetEnumerator()
    {
        for (var r = 0; r < Count; r++)
        {
            yield return this[r];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
