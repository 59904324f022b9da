using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Inputs;

/// <summary>
/// Reads the seed's <c>input_data</c>: one row <c>{tag: value}</c>, or a list of <c>{timestamp, data}</c>
/// rows. Rows are returned oldest first whatever order they came in.
/// </summary>
public static class InputParser
{
    /// <exception cref="InputException">The JSON is not of either form; the message names the field.</exception>
    public static CycleInput Parse(JsonElement inputData, string path = "input_data")
    {
        switch (inputData.ValueKind)
        {
            case JsonValueKind.Object:
                return CycleInput.FromSingleRow(ReadValues(inputData, path));
            case JsonValueKind.Array:
                var rows = new List<ProcessRow>();
                var index = 0;
                foreach (var item in inputData.EnumerateArray())
                {
                    rows.Add(ReadRow(item, $"{path}[{index++}]"));
                }

                if (rows.Count == 0)
                {
                    throw new InputException($"{path}: the list of rows is empty");
                }

                return new CycleInput([.. rows.OrderBy(r => r.Timestamp)]);
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

    private static ProcessRow ReadRow(JsonElement item, string path)
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

        return new ProcessRow(timestamp.ToUniversalTime(), ReadValues(data, $"{path}.data"));
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
