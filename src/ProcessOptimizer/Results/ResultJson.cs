using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProcessOptimizer.Results;

/// <summary>The JSON settings of every response: snake_case as in the seed, and non-finite numbers as strings rather than a crash.</summary>
public static class ResultJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions { WriteIndented = true });

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // A request naming a field twice is refused rather than read as its last value.
        options.AllowDuplicateProperties = false;
        // Enums as words, spelled as stored: "solver-failed", "skipped-no-new-data".
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
