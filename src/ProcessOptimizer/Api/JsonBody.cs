using System.Text.Json;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>
/// Reads a JSON request body, so that malformed JSON, undecodable text and duplicate keys become a field-level
/// validation problem that says where.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonElement? Body, IDictionary<string, string[]>? Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Problem(document.RootElement) is { } problem
                ? (null, new Dictionary<string, string[]> { ["body"] = [problem] })
                : (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { ["body"] = [$"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}"] });
        }
    }

    // The parser checks structure, not the text inside strings: that fails only when a string is read, deep in
    // a handler. Reading every name and string once here makes it a 400 that says where. Duplicate keys are
    // found here too rather than by the parser's own option, whose error does not say in which object: a reader
    // that keeps the last value would act on a value the sender may not have meant. The parser's depth limit
    // (64) bounds the recursion.
    private static string? Problem(JsonElement element, string path = "$")
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select((item, i) => Problem(item, $"{path}[{i}]")).FirstOrDefault(p => p is not null);
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        if (!names.Add(name))
                        {
                            return $"duplicate key '{Echo.Short(name)}' in {path}";
                        }

                        if (Problem(property.Value, $"{path}.{Echo.Short(name)}") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return $"a name or string in {path} is not valid text: invalid UTF-8 or a lone UTF-16 surrogate";
        }
    }
}
