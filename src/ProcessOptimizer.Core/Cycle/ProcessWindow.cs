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
    private readonly string[] _tags;
    private readonly Dictionary<string, int> _index;
    private readonly Action<ProcessWindow>? _release;
    private DateTimeOffset?[] _times = [];
    private readonly double[][] _columns;
    private readonly CellKind[][] _kinds;
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
        _kinds = new CellKind[_tags.Length][];
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
                if (_kinds[t][index] != CellKind.Absent)
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

        // Numbered by position and reference first, the rows' tags are hashed only where a row lists another tag
        // at a place than the row before; rows read from one body share their tag strings and list them alike.
        var tags = TagNumbers.In(rows);
        var result = new ProcessWindow(tags.Names, rows.Count);
        for (var t = 0; t < result._tags.Length; t++)
        {
            result._columns[t].AsSpan().Fill(double.NaN);
            result._kinds[t].AsSpan().Fill(CellKind.Absent);
        }

        for (var r = 0; r < rows.Count; r++)
        {
            result.SetTime(r, rows[r].Timestamp);
            var position = 0;
            foreach (var (tag, value) in rows[r].Values)
            {
                result.Set(r, tags.Of(tag, position++), value);
            }
        }

        return result;
    }

    /// <summary>
    /// The window of these columns as they are: the window takes the arrays, which the caller must not keep.
    /// Each tag's values and kinds are <paramref name="times"/> long; a cell that is not a value holds NaN, as
    /// <see cref="Set"/> and <see cref="SetAbsent"/> leave it.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A tag is named twice, the arrays differ in number or length, a kind is not a <see cref="CellKind"/>, or a
    /// null or absent cell holds anything but NaN.
    /// </exception>
    public static ProcessWindow FromColumns(IReadOnlyList<string> tags, DateTimeOffset?[] times, double[][] values, CellKind[][] kinds)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(kinds);
        var window = new ProcessWindow(tags, 0);
        if (window._index.Count != window._tags.Length)
        {
            throw new ArgumentException("a tag is named twice", nameof(tags));
        }

        if (values.Length != window._tags.Length || kinds.Length != window._tags.Length)
        {
            throw new ArgumentException($"{values.Length} value columns and {kinds.Length} kind columns for {window._tags.Length} tags", nameof(values));
        }

        var nan = BitConverter.DoubleToInt64Bits(double.NaN);
        for (var t = 0; t < window._tags.Length; t++)
        {
            if (values[t].Length != times.Length || kinds[t].Length != times.Length)
            {
                throw new ArgumentException($"tag {window._tags[t]} has {values[t].Length} values and {kinds[t].Length} kinds for {times.Length} rows", nameof(values));
            }

            for (var r = 0; r < times.Length; r++)
            {
                if (kinds[t][r] is not (CellKind.Value or CellKind.Null or CellKind.Absent)
                    || (kinds[t][r] != CellKind.Value && BitConverter.DoubleToInt64Bits(values[t][r]) != nan))
                {
                    throw new ArgumentException($"row {r} of tag {window._tags[t]} is of kind {(byte)kinds[t][r]} holding {values[t][r]}", nameof(kinds));
                }
            }

            window._columns[t] = values[t];
            window._kinds[t] = kinds[t];
        }

        window._times = times;
        return window;
    }

    /// <summary>
    /// A copy of these rows that nobody else holds: a window of its own (never given back to a pool), whatever
    /// becomes of <paramref name="rows"/> afterwards.
    /// </summary>
    public static ProcessWindow Snapshot(IReadOnlyList<ProcessRow> rows)
    {
        if (rows is not ProcessWindow window)
        {
            return Of(rows);
        }

        var copy = new ProcessWindow(window._tags, 0);
        for (var t = 0; t < window._tags.Length; t++)
        {
            copy._columns[t] = [.. window._columns[t]];
            copy._kinds[t] = [.. window._kinds[t]];
        }

        copy._times = [.. window._times];
        return copy;
    }

    /// <summary>The tag's column number, or -1 when the window has no such tag.</summary>
    public int TagIndex(string tag) => _index.TryGetValue(tag, out var t) ? t : -1;

    public DateTimeOffset? Timestamp(int row) => _times[row];

    /// <summary>The tag's values over the rows, NaN where a cell is null or absent. Read-only: it is the window's own.</summary>
    public double[] Column(int tag) => _columns[tag];

    /// <summary>What each of the tag's cells holds, over the rows. Read-only: it is the window's own.</summary>
    public ReadOnlySpan<CellKind> Kinds(int tag) => _kinds[tag];

    /// <summary>The cell's value, or null where it is null or absent.</summary>
    public double? Value(int row, int tag) => _kinds[tag][row] == CellKind.Value ? _columns[tag][row] : null;

    /// <summary>Whether the row has a cell for the tag, null or not.</summary>
    public bool Has(int row, int tag) => _kinds[tag][row] != CellKind.Absent;

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
            _kinds[t] = new CellKind[rows];
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
        _kinds[tag][row] = value is null ? CellKind.Null : CellKind.Value;
    }

    public void SetAbsent(int row, int tag)
    {
        _columns[tag][row] = double.NaN;
        _kinds[tag][row] = CellKind.Absent;
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
