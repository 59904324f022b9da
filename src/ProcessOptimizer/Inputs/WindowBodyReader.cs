using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Inputs;

/// <summary>
/// Reads an <c>/optimize</c> body of the usual shape, <c>{"input_data": ...}</c> with either form of rows and no
/// <c>config</c>, in one pass over its bytes, into the rows <see cref="InputParser"/> would make of it.
/// </summary>
/// <remarks>
/// Only for bodies that are valid as a whole: anything else (malformed JSON, text that is not valid, a repeated
/// key, another member, a value of another kind, an empty list) returns null, and the caller reads the body the
/// full way, which says what is wrong and where. So this reader never decides an error, and a body it accepts
/// is one the full way accepts with the same rows (two rows at one time, to the microsecond, are left to it too). A tag name met again as the same bytes is not decoded again.
/// </remarks>
internal ref struct WindowBodyReader
{
    private Utf8JsonReader _json;
    private readonly List<(byte[] Utf8, string Name)> _names = [];

    private WindowBodyReader(ReadOnlySpan<byte> body) =>
        _json = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });

    /// <returns>The rows, oldest first, or null when the body is not of the usual shape or not valid.</returns>
    public static CycleInput? TryRead(ReadOnlySpan<byte> body)
    {
        try
        {
            return new WindowBodyReader(body).ReadBody();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Malformed, or text that does not decode: the full reading names it.
            return null;
        }
    }

    private CycleInput? ReadBody()
    {
        if (!_json.Read() || _json.TokenType != JsonTokenType.StartObject
            || !_json.Read() || _json.TokenType != JsonTokenType.PropertyName || !_json.ValueTextEquals("input_data"u8) || !_json.Read())
        {
            return null;
        }

        var input = _json.TokenType switch
        {
            JsonTokenType.StartObject => ReadValues() is { } values ? CycleInput.FromSingleRow(values) : null,
            JsonTokenType.StartArray => ReadRows(),
            _ => null,
        };

        // input_data must be the only member, and nothing may follow the body.
        return input is not null && _json.Read() && _json.TokenType == JsonTokenType.EndObject && !_json.Read() ? input : null;
    }

    private CycleInput? ReadRows()
    {
        var rows = new List<ProcessRow>();
        while (_json.Read() && _json.TokenType == JsonTokenType.StartObject)
        {
            if (ReadRow() is not { } row)
            {
                return null;
            }

            rows.Add(row);
        }

        if (_json.TokenType != JsonTokenType.EndArray || rows.Count == 0)
        {
            return null;
        }

        // Two rows at one time are the full reading's to name.
        ProcessRow[] sorted = [.. rows.OrderBy(r => r.Timestamp)];
        for (var r = 1; r < sorted.Length; r++)
        {
            if (sorted[r].Timestamp == sorted[r - 1].Timestamp)
            {
                return null;
            }
        }

        return new CycleInput(sorted);
    }

    // {"timestamp": "...", "data": {...}} in either order, and nothing else.
    private ProcessRow? ReadRow()
    {
        DateTimeOffset? timestamp = null;
        Dictionary<string, double?>? values = null;
        while (_json.Read() && _json.TokenType == JsonTokenType.PropertyName)
        {
            if (_json.ValueTextEquals("timestamp"u8) && timestamp is null)
            {
                if (!_json.Read() || _json.TokenType != JsonTokenType.String || Timestamp() is not { } time)
                {
                    return null;
                }

                timestamp = time;
            }
            else if (_json.ValueTextEquals("data"u8) && values is null)
            {
                if (!_json.Read() || _json.TokenType != JsonTokenType.StartObject || ReadValues() is not { } read)
                {
                    return null;
                }

                values = read;
            }
            else
            {
                return null;
            }
        }

        return _json.TokenType == JsonTokenType.EndObject && timestamp is not null && values is not null ? new ProcessRow(timestamp, values) : null;
    }

    // The usual form (whole seconds) read from its bytes; any other the way the full reading reads it, cut to the microsecond.
    private DateTimeOffset? Timestamp() =>
        !_json.ValueIsEscaped && !_json.HasValueSequence && UtcTimestamp.TryParse(_json.ValueSpan, out var utc) ? utc
        : DateTimeOffset.TryParse(_json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? DataTime.Whole(time.ToUniversalTime())
        : null;

    // {tag: number or null, ...} with no tag twice.
    private Dictionary<string, double?>? ReadValues()
    {
        var values = new Dictionary<string, double?>(_names.Count, StringComparer.Ordinal);
        var position = 0;
        while (_json.Read() && _json.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(position++);
            if (!_json.Read() || _json.TokenType is not (JsonTokenType.Number or JsonTokenType.Null)
                || !values.TryAdd(name, _json.TokenType == JsonTokenType.Number ? Number() : null))
            {
                return null;
            }
        }

        return _json.TokenType == JsonTokenType.EndObject ? values : null;
    }

    // The usual form read from its bytes; any other (an exponent, many digits, out of range) the general way.
    private double Number() =>
        !_json.HasValueSequence && PlainDecimal.TryParse(_json.ValueSpan, out var value) ? value : _json.GetDouble();

    // Rows name the same few tags: a name is decoded (and its text checked) the first time its bytes are seen.
    // The names kept are bounded, so that a body of many distinct names costs a decode each, not a scan of all
    // the names before it (100,000 names took a minute).
    private const int KeptNames = 256;

    // Rows list their tags in one order: the name first tried is the one met at this position before.
    private string Name(int position)
    {
        if (!_json.ValueIsEscaped && !_json.HasValueSequence)
        {
            if (position < _names.Count && _json.ValueSpan.SequenceEqual(_names[position].Utf8))
            {
                return _names[position].Name;
            }

            foreach (var (utf8, known) in _names)
            {
                if (_json.ValueSpan.SequenceEqual(utf8))
                {
                    return known;
                }
            }

            var name = _json.GetString()!;
            if (_names.Count < KeptNames)
            {
                _names.Add((_json.ValueSpan.ToArray(), name));
            }

            return name;
        }

        return _json.GetString()!;
    }
}
