using System.Globalization;
using System.Text.Json.Nodes;
using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// A strategy file as the JSON object a client of the original service sends in <c>config</c>: plain scalars
/// that read as numbers, booleans or null become those, quoted ones stay strings, and aliases are expanded.
/// </summary>
internal static class YamlAsJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key.Value, Convert(e.Value)))),
        YamlSequence sequence => new JsonArray([.. sequence.Items.Select(Convert)]),
        YamlScalar { IsNull: true } => null,
        YamlScalar { IsPlain: true, Value: "true" or "True" } => JsonValue.Create(true),
        YamlScalar { IsPlain: true, Value: "false" or "False" } => JsonValue.Create(false),
        YamlScalar { IsPlain: true } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalar s => JsonValue.Create(s.Value),
        _ => throw new ArgumentException($"unexpected YAML node {node.GetType().Name}", nameof(node)),
    };
}
