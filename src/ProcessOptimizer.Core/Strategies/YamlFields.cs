using System.Globalization;
using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Typed reads from YAML nodes that record a problem instead of throwing.</summary>
internal sealed class YamlFields(ProblemList problems)
{
    public YamlMapping? Mapping(YamlNode? node, string what)
    {
        switch (node)
        {
            case YamlMapping mapping:
                return mapping;
            case null or YamlScalar { IsNull: true }:
                return null;
            default:
                problems.Error(node.Location, $"{what} must be a mapping");
                return null;
        }
    }

    /// <summary>Reports every duplicate key anywhere in the document; elsewhere the first occurrence wins.</summary>
    public void CheckDuplicates(YamlNode root)
    {
        var visited = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        void Walk(YamlNode node)
        {
            if (!visited.Add(node))
            {
                return;
            }

            switch (node)
            {
                case YamlSequence sequence:
                    sequence.Items.ToList().ForEach(Walk);
                    break;
                case YamlMapping mapping:
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (key, value) in mapping.Entries)
                    {
                        if (!seen.Add(key.Value))
                        {
                            problems.Error(key.Location, $"duplicate key '{key.Value}'");
                        }

                        Walk(value);
                    }

                    break;
            }
        }

        Walk(root);
    }

    public static IEnumerable<KeyValuePair<YamlScalar, YamlNode>> Entries(YamlMapping? mapping)
    {
        if (mapping is null)
        {
            return [];
        }

        return mapping.Entries.DistinctBy(e => e.Key.Value);
    }

    public string? String(YamlMapping? mapping, string key, string what, bool required)
    {
        var node = mapping?[key];
        switch (node)
        {
            case YamlScalar { IsNull: false } scalar:
                return scalar.Value;
            case null or YamlScalar:
                if (required)
                {
                    problems.Error(mapping?.Location, $"{what}: missing required key '{key}'");
                }

                return null;
            default:
                problems.Error(node.Location, $"{what}: '{key}' must be a single value");
                return null;
        }
    }

    public double? Number(YamlMapping? mapping, string key, string what)
    {
        var node = mapping?[key];
        return node is null ? null : Number(node, $"{what}: '{key}'");
    }

    public double? Number(YamlNode node, string what)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is YamlScalar scalar && TryNumber(scalar.Value, out var value))
        {
            return value;
        }

        problems.Error(node.Location, $"{what} must be a number");
        return null;
    }

    public IReadOnlyList<string> Names(YamlMapping? mapping, string key, string what, bool required)
    {
        var node = mapping?[key];
        switch (node)
        {
            case YamlSequence sequence:
                var names = new List<string>();
                foreach (var item in sequence.Items)
                {
                    if (item is YamlScalar { IsNull: false } scalar)
                    {
                        names.Add(scalar.Value);
                    }
                    else
                    {
                        problems.Error(item.Location, $"{what}: every item of '{key}' must be a name");
                    }
                }

                return names;
            case null or YamlScalar { IsNull: true }:
                if (required)
                {
                    problems.Error(mapping?.Location, $"{what}: missing required key '{key}'");
                }

                return [];
            default:
                problems.Error(node.Location, $"{what}: '{key}' must be a list of names");
                return [];
        }
    }

    /// <summary>The location of a sequence item naming <paramref name="name"/>, for precise messages.</summary>
    public static SourceLocation? ItemLocation(YamlMapping? mapping, string key, string name) =>
        (mapping?[key] as YamlSequence)?.Items.OfType<YamlScalar>().FirstOrDefault(s => s.Value == name)?.Location
        ?? mapping?[key]?.Location;

    public static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or "+.inf":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
        }
    }
}
