namespace ProcessOptimizer.Core.Yaml;

/// <summary>
/// A YAML node with where it starts. Mappings keep every entry in order, duplicates included, so that
/// validation can report all of them instead of stopping at the first.
/// </summary>
public abstract record YamlNode(SourceLocation Location);

/// <summary>A scalar; <see cref="IsPlain"/> is false for quoted scalars, which are never null or numbers.</summary>
public sealed record YamlScalar(SourceLocation Location, string Value, bool IsPlain) : YamlNode(Location)
{
    /// <summary>Whether YAML would read this as null (<c>null</c>, <c>~</c>, or empty).</summary>
    public bool IsNull => IsPlain && Value is "" or "null" or "Null" or "NULL" or "~";
}

/// <summary>A sequence.</summary>
public sealed record YamlSequence(SourceLocation Location, IReadOnlyList<YamlNode> Items) : YamlNode(Location);

/// <summary>A mapping with scalar keys, in document order.</summary>
public sealed record YamlMapping(SourceLocation Location, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Location)
{
    /// <summary>The value of the first entry with that key, or null.</summary>
    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}
