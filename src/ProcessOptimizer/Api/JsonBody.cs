using System.Text.Json;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>Reads a JSON request body, so that malformed JSON becomes a field-level validation problem.</summary>
internal static class JsonBody
{
    public static async Task<(JsonElement? Body, IDictionary<string, string[]>? Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Undecodable(document.RootElement) is { } where
                ? (null, new Dictionary<string, string[]> { ["body"] = [$"{where} is not valid text: invalid UTF-8 or a lone UTF-16 surrogate"] })
                : (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { ["body"] = [$"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}"] });
        }
    }

    // The parser checks structure, not the text inside strings: that fails only when a string is read, deep in
    // a handler. Reading every name and string once here makes it a 400 that says where. The parser's depth
    // limit (64) bounds the recursion.
    private static string? Undecodable(JsonElement element, string path = "$")
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select((item, i) => Undecodable(item, $"{path}[{i}]")).FirstOrDefault(p => p is not null);
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        if (Undecodable(property.Value, $"{path}.{Echo.Short(name)}") is { } inner)
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
            return $"a name or string in {path}";
        }
    }
}
