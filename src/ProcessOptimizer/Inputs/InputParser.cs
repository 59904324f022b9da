using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Inputs;

/// <summary>
/// Reads the seed's <c>input_data</c>: one row <c>{tag: value}</c>, or a list of <c>{timestamp, data}</c>
/// rows. Rows are returned oldest first whatever order they came in, each time cut to the microsecond
/// (<see cref="DataTime"/>).
/// </summary>
public static class InputParser
{
    /// <exception cref="InputException">
    /// The JSON is not of either form, or two rows are at one time (to the microsecond); the message names the field, or both rows.
    /// </exception>
    public static CycleInput Parse(JsonElement inputData, string path = "input_data")
    {
        switch (inputData.ValueKind)
        {
            case JsonValueKind.Object:
                return CycleInput.FromSingleRow(ReadValues(inputData, path));
            case JsonValueKind.Array:
                var rows = new List<ProcessRow>();
                var given = new List<DateTimeOffset>();
                foreach (var item in inputData.EnumerateArray())
                {
                    var (row, time) = ReadRow(item, $"{path}[{rows.Count}]");
                    rows.Add(row);
                    given.Add(time);
                }

                if (rows.Count == 0)
                {
                    throw new InputException($"{path}: the list of rows is empty");
                }

                return new CycleInput(Sorted(rows, given, path));
            default:
                throw new InputException($"{path}: must be an object of tag values or a list of {{timestamp, data}} rows");
        }
    }

    /// <summary>Reads a file: JSON (either form, optionally wrapped as <c>{"input_data": ...}</c>) or CSV with a timestamp column.</summary>
    public static CycleInput ReadFile(string path)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(path);
            var table = CsvTable.Read(reader, path);
            return new CycleInput([.. table.Rows.Select(r => new ProcessRow(r.Timestamp, table.Columns.Zip(r.Values).ToDictionary(p => p.First, p => p.Second)))]);
        }

        using var document = ParseJson(File.ReadAllText(path), path);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("input_data", out var wrapped)
            ? Parse(wrapped)
            : Parse(root);
    }

    private static JsonDocument ParseJson(string text, string source)
    {
        try
        {
            // A tag given twice is refused rather than read as its last value.
            return JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new InputException($"{source}: malformed JSON at line {ex.LineNumber + 1}: {ex.Message}");
        }
    }

    // Oldest first. Two rows at one time would be two values of a tag at one instant, and which one the cycle took
    // would depend on their order in the body: refused, naming the first pair and counting the others.
    private static ProcessRow[] Sorted(List<ProcessRow> rows, List<DateTimeOffset> given, string path)
    {
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Timestamp).ToArray();
        var repeats = Enumerable.Range(1, order.Length - 1).Where(k => rows[order[k]].Timestamp == rows[order[k - 1]].Timestamp).ToList();
        if (repeats.Count > 0)
        {
            // The sort is stable: of two rows at one time, the one given first comes first.
            var (first, second) = (order[repeats[0] - 1], order[repeats[0]]);
            var others = repeats.Count > 1 ? $"; {repeats.Count - 1} more rows repeat a time" : "";
            var cut = given[first] == given[second] ? "" : $" to the microsecond, {DataTime.Text(rows[first].Timestamp!.Value)}, the precision times are kept to";
            throw new InputException($"{path}[{second}].timestamp: repeats the time of {path}[{first}]{cut}{others}");
        }

        return [.. order.Select(i => rows[i])];
    }

    private static (ProcessRow Row, DateTimeOffset Given) ReadRow(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new InputException($"{path}: must be an object with 'timestamp' and 'data'");
        }

        if (!item.TryGetProperty("timestamp", out var time) || time.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            throw new InputException($"{path}.timestamp: must be an ISO 8601 date and time");
        }

        if (!item.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new InputException($"{path}.data: must be an object of tag values");
        }

        var utc = timestamp.ToUniversalTime();
        return (new ProcessRow(DataTime.Whole(utc), ReadValues(data, $"{path}.data")), utc);
    }

    private static Dictionary<string, double?> ReadValues(JsonElement data, string path)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Number => property.Value.GetDouble(),
                JsonValueKind.Null => null,
                _ => throw new InputException($"{path}.{property.Name}: must be a number or null"),
            };
        }

        return values;
    }
}
