namespace ProcessOptimizer.Core.Data;

/// <summary>
/// A reusable buffer of process-data rows: a UTC timestamp and one nullable value per column each. A bulk load
/// fills it, writes it and fills it again, so memory stays the size of one batch whatever the size of the file.
/// </summary>
public sealed class RowBatch
{
    private readonly DateTimeOffset[] _times;
    private readonly double?[] _values;

    public RowBatch(int columns, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Columns = columns;
        _times = new DateTimeOffset[capacity];
        _values = new double?[columns * capacity];
    }

    public int Columns { get; }

    public int Capacity => _times.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    public DateTimeOffset Time(int row) => _times[row];

    /// <summary>The values of one row, in column order; valid until the batch is cleared.</summary>
    public ReadOnlySpan<double?> Values(int row) => _values.AsSpan(row * Columns, Columns);

    public void Clear() => Count = 0;

    /// <summary>Appends a row and returns its values to fill.</summary>
    public Span<double?> Add(DateTimeOffset time)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("the batch is full");
        }

        _times[Count] = time;
        var values = _values.AsSpan(Count * Columns, Columns);
        Count++;
        return values;
    }
}
