using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Where each named item of a skill's lists was written, so messages can point at the exact line.</summary>
internal sealed class SourceMap
{
    private readonly Dictionary<(string Skill, string Key, string Item), SourceLocation> _items = [];

    public void Add(string skill, string key, YamlNode? list)
    {
        foreach (var scalar in (list as YamlSequence)?.Items.OfType<YamlScalar>() ?? [])
        {
            _items.TryAdd((skill, key, scalar.Value), scalar.Location);
        }
    }

    /// <summary>Records where a single value (such as a config key) was written.</summary>
    public void AddValue(string skill, string key, YamlNode? node)
    {
        if (node is not null)
        {
            _items.TryAdd((skill, key, ""), node.Location);
        }
    }

    public SourceLocation Item(Skill skill, string key, string item) => Item(skill.Name, key, item, skill.Location);

    public SourceLocation Value(Skill skill, string key) => Item(skill.Name, key, "", skill.Location);

    public SourceLocation Item(string owner, string key, string item, SourceLocation fallback) =>
        _items.TryGetValue((owner, key, item), out var location) ? location : fallback;
}
