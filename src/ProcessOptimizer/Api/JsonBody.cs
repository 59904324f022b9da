using System.Text.Json;

namespace ProcessOptimizer.Api;

/// <summary>Reads a JSON request body, so that malformed JSON becomes a field-level validation problem.</summary>
internal static class JsonBody
{
    public static async Task<(JsonElement? Body, IDictionary<string, string[]>? Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { ["body"] = [$"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}"] });
        }
    }
}
