using System.Text.Json;

namespace ProcessOptimizer.Api;

/// <summary>
/// Reads a JSON request body, so that malformed JSON, undecodable text and duplicate keys become a field-level
/// validation problem that says where.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonElement? Body, IDictionary<string, string[]>? Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var bytes = await RequestBytes.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(bytes.Memory);
    }

    /// <returns>The body, which does not refer to <paramref name="body"/>, or the problem with it.</returns>
    public static (JsonElement? Body, IDictionary<string, string[]>? Errors) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
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
    // that keeps the last value would act on a value the sender may not have meant.
    private static string? Problem(JsonElement root) => new JsonBodyCheck().Problem(root);
}
