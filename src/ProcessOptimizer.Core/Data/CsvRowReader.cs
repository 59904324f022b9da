using System.Globalization;

namespace ProcessOptimizer.Core.Data;

/// <summary>
/// Reads a CSV of process data a batch at a time: a <c>timestamp</c> column and one numeric column per tag;
/// empty cells are null, and so are cells that name a value that is not a finite number (<c>NaN</c>, <c>inf</c>,
/// <c>-Infinity</c>, in any case), which are counted (<see cref="NotFinite"/>). Plain comma-separated values only:
/// tag names and numbers never need quoting. Times are cut to the microsecond (<see cref="DataTime"/>).
/// </summary>
/// <remarks>
/// Memory is one batch plus one timestamp and line number per row read, kept to name the first line of a
/// repeated timestamp (to the microsecond). A malformed line throws <see cref="InputException"/> with its line number (and column)
/// when the batch that holds it is read, so rows of earlier batches may already have been handed on.
/// </remarks>
public sealed class CsvRowReader
{
    private readonly TextReader _reader;
    private readonly string _source;
    private readonly int _timeColumn;
    private readonly int _fields;
    // By each row's time as kept: the line that first had it, times 10, plus the ticks its time had past the
    // microsecond (0 to 9), so that a repeat can say whether the two differ below it. One long, not a pair: a
    // dictionary entry stays 24 bytes, as with the line alone, for files of millions of rows.
    private readonly Dictionary<long, long> _seen = [];
    private int _lineNumber = 1;

    /// <exception cref="InputException">The header is missing or has no timestamp column.</exception>
    public CsvRowReader(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _source = source;
        var header = reader.ReadLine() ?? throw new InputException($"{source}: empty file");
        var names = header.Split(',').Select(h => h.Trim()).ToArray();
        _timeColumn = Array.FindIndex(names, n => n.Equals("timestamp", StringComparison.OrdinalIgnoreCase));
        if (_timeColumn < 0)
        {
            throw new InputException($"{source}: line 1: no 'timestamp' column");
        }

        _fields = names.Length;
        Columns = [.. names.Where((_, i) => i != _timeColumn)];
    }

    /// <summary>The tag columns, in file order, without the timestamp.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// The cells read so far that held <c>NaN</c> or an infinity: they are read as empty. A window treats a missing
    /// value and one that is not finite alike (not there), and the databases would not: SQLite cannot store NaN, and
    /// PostgreSQL stores both.
    /// </summary>
    public int NotFinite { get; private set; }

    /// <summary>Where the first of <see cref="NotFinite"/> is (<c>line 2, column 'a'</c>); null while there is none.</summary>
    public string? FirstNotFinite { get; private set; }

    /// <summary>A batch sized for this file's columns.</summary>
    public RowBatch NewBatch(int capacity) => new(Columns.Count, capacity);

    /// <summary>Clears <paramref name="batch"/> and fills it with the next rows; false when the file has no more.</summary>
    /// <exception cref="InputException">A row is malformed or repeats an earlier timestamp (to the microsecond); the message gives its line number.</exception>
    public bool Fill(RowBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Clear();
        while (!batch.IsFull && _reader.ReadLine() is { } line)
        {
            _lineNumber++;
            if (line.Length > 0)
            {
                ReadRow(line, batch);
            }
        }

        return batch.Count > 0;
    }

    /// <summary>Every batch of the file in turn, each in the same buffer: use each one before asking for the next.</summary>
    public IEnumerable<RowBatch> Batches(int capacity)
    {
        var batch = NewBatch(capacity);
        while (Fill(batch))
        {
            yield return batch;
        }
    }

    private void ReadRow(string line, RowBatch batch)
    {
        var fields = line.AsSpan().Count(',') + 1;
        if (fields != _fields)
        {
            throw Bad($"{fields} fields, expected {_fields}");
        }

        // The timestamp is found first, so that the row's values can be written straight into the batch.
        var start = 0;
        var timeCell = ReadOnlySpan<char>.Empty;
        for (var i = 0; i <= _timeColumn; i++)
        {
            timeCell = Next(line, ref start);
        }

        if (!DateTimeOffset.TryParse(timeCell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw Bad($"'{timeCell}' is not a timestamp");
        }

        var finer = time.UtcTicks % TimeSpan.TicksPerMicrosecond;
        time = DataTime.Whole(time.ToUniversalTime());
        if (!_seen.TryAdd(time.UtcTicks, (_lineNumber * 10L) + finer))
        {
            var seen = _seen[time.UtcTicks];
            var cut = seen % 10 == finer ? "" : $" to the microsecond, {DataTime.Text(time)}, the precision times are kept to";
            throw Bad($"timestamp {timeCell} repeats line {seen / 10}{cut}");
        }

        var values = batch.Add(time);
        start = 0;
        for (int i = 0, c = 0; i < _fields; i++)
        {
            var cell = Next(line, ref start);
            if (i == _timeColumn)
            {
                continue;
            }

            cell = cell.Trim();
            values[c] = cell.Length == 0 ? null : Number(cell, c);
            c++;
        }
    }

    // A finite number, or null for a cell that names NaN or an infinity. .NET reads "NaN" and "Infinity" (any case,
    // signed); "inf" is what C, Python and numpy write. A number too large for a double (1e400) is not such a
    // name, but a value that cannot be held: it is refused, not stored as missing.
    private double? Number(ReadOnlySpan<char> cell, int column)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        if (double.IsFinite(value) ? !IsInfinityName(cell) : cell.IndexOfAnyInRange('0', '9') >= 0)
        {
            throw Bad(double.IsFinite(value)
                ? $"column '{Columns[column]}': '{cell}' is not a number"
                : $"column '{Columns[column]}': '{cell}' is too large for a number");
        }

        if (NotFinite++ == 0)
        {
            FirstNotFinite = $"line {_lineNumber}, column '{Columns[column]}'";
        }

        return null;
    }

    private static bool IsInfinityName(ReadOnlySpan<char> cell) =>
        (cell.Length > 0 && cell[0] is '+' or '-' ? cell[1..] : cell).Equals("inf", StringComparison.OrdinalIgnoreCase);

    // The cell that starts at start, which moves past the cell's comma.
    private static ReadOnlySpan<char> Next(string line, scoped ref int start)
    {
        var comma = line.IndexOf(',', start);
        var end = comma < 0 ? line.Length : comma;
        var cell = line.AsSpan(start, end - start);
        start = end + 1;
        return cell;
    }

    private InputException Bad(string what) => new($"{_source}: line {_lineNumber}: {what}");
}
