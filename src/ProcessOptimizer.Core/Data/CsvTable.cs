namespace ProcessOptimizer.Core.Data;

/// <summary>
/// A CSV of process data held in memory: a <c>timestamp</c> column and one numeric column per tag (see
/// <see cref="CsvRowReader"/> for the format). For files too large to hold, read batches from a <see cref="CsvRowReader"/>.
/// </summary>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<CsvRow> Rows)
{
    private const int BatchRows = 1024;

    /// <exception cref="InputException">A row is malformed; the message gives its line number.</exception>
    public static CsvTable Read(TextReader reader, string source)
    {
        var csv = new CsvRowReader(reader, source);
        var rows = new List<CsvRow>();
        foreach (var batch in csv.Batches(BatchRows))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                rows.Add(new CsvRow(batch.Time(r), batch.Values(r).ToArray()));
            }
        }

        return new CsvTable(csv.Columns, rows);
    }

    /// <summary>The rows as batches of at most <paramref name="capacity"/>, each in the same buffer: use each one before asking for the next.</summary>
    public IEnumerable<RowBatch> Batches(int capacity)
    {
        var batch = new RowBatch(Columns.Count, capacity);
        foreach (var chunk in Rows.Chunk(capacity))
        {
            batch.Clear();
            foreach (var row in chunk)
            {
                var values = batch.Add(row.Timestamp);
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = row.Values[c];
                }
            }

            yield return batch;
        }
    }
}
