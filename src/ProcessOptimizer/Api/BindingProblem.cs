using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProcessOptimizer.Api;

/// <summary>
/// The field a route's parameter binding refused, from the exception minimal APIs throw for it: a query value that
/// is not its type (<c>?limit=999999999999</c>, <c>?from=x</c>) or a JSON body whose field is not (a backtest's
/// <c>{"from": "x"}</c>). Without it such a request was a bare "Bad Request" that named nothing.
/// </summary>
public static partial class BindingProblem
{
    /// <summary>Every field the refusal names, with what it must be; null when it is not a binding refusal.</summary>
    /// <remarks>
    /// The value sent is never repeated: a query string may be kilobytes long. A body that is not JSON at all, or
    /// a field whose path JSON cannot give, is named <c>body</c>.
    /// </remarks>
    public static Dictionary<string, string[]>? Of(BadHttpRequestException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (Parameter().Match(refused.Message) is not { Success: true } match)
        {
            return null;
        }

        var type = Plain(match.Groups["type"].Value);
        var name = match.Groups["name"].Value;
        if (refused.InnerException is JsonException json)
        {
            var path = json.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : name;
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            return new() { [path] = [$"is not a valid value for this field{where}"] };
        }

        return match.Groups["verb"].Value == "Required"
            ? new() { [name] = [$"is required, as {type}"] }
            : new() { [name] = [$"must be {type}"] };
    }

    // The type in words a caller knows: the message names it as C# does ("Nullable<double>", "int?"), which told a
    // caller of ?horizon=-5m nothing about what to send.
    private static string Plain(string type) =>
        (type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>') ? type[9..^1] : type.TrimEnd('?')) switch
        {
            "double" or "float" or "decimal" => "a number, such as 300 or 2.5",
            "int" or "long" or "short" => "a whole number",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 time, such as 2026-01-02T00:00:00Z",
            "bool" => "true or false",
            var other => $"a valid {other}",
        };

    // The formats of RequestDelegateFactory's messages: 'Failed to bind parameter "int? limit" from "x".',
    // 'Required parameter "string name" was not provided from route.' and 'Failed to read parameter "T body" from
    // the request body as JSON.'; the type is everything before the last space inside the quotes.
    [GeneratedRegex("""^(?<verb>Failed to bind|Failed to read|Required) parameter "(?<type>[^"]+) (?<name>[^" ]+)" """)]
    private static partial Regex Parameter();
}
