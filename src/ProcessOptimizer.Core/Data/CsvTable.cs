using System.Globalization;

namespace ProcessOptimizer.Core.Data;

/// <summary>
/// A CSV of process data: a <c>timestamp</c> column and one numeric column per tag. Empty cells are null.
/// Plain comma-separated values only: tag names and numbers never need quoting.
/// </summary>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<CsvRow> Rows)
{
    /// <exception cref="InputException">A row is malformed; the message gives its line number.</exception>
    public static CsvTable Read(TextReader reader, string source)
    {
        var header = reader.ReadLine() ?? throw new InputException($"{source}: empty file");
        var names = header.Split(',').Select(h => h.Trim()).ToArray();
        var timeColumn = Array.FindIndex(names, n => n.Equals("timestamp", StringComparison.OrdinalIgnoreCase));
        if (timeColumn < 0)
        {
            throw new InputException($"{source}: line 1: no 'timestamp' column");
        }

        var columns = names.Where((_, i) => i != timeColumn).ToArray();
        var rows = new List<CsvRow>();
        var seen = new Dictionary<DateTimeOffset, int>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != names.Length)
            {
                throw new InputException($"{source}: line {lineNumber}: {cells.Length} fields, expected {names.Length}");
            }

            if (!DateTimeOffset.TryParse(cells[timeColumn], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new InputException($"{source}: line {lineNumber}: '{cells[timeColumn]}' is not a timestamp");
            }

            var values = new double?[columns.Length];
            for (int i = 0, c = 0; i < cells.Length; i++)
            {
                if (i == timeColumn)
                {
                    continue;
                }

                var cell = cells[i].Trim();
                values[c] = cell.Length == 0 ? null
                    : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
                    : throw new InputException($"{source}: line {lineNumber}: column '{columns[c]}': '{cell}' is not a number");
                c++;
            }

            if (!seen.TryAdd(time.ToUniversalTime(), lineNumber))
            {
                throw new InputException($"{source}: line {lineNumber}: timestamp {cells[timeColumn]} repeats line {seen[time.ToUniversalTime()]}");
            }

            rows.Add(new CsvRow(time.ToUniversalTime(), values));
        }

        return new CsvTable(columns, rows);
    }
}
