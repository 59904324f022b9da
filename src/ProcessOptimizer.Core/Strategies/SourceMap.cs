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

    public SourceLocation Item(Skill skill, string key, string item) =>
        _items.TryGetValue((skill.Name, key, item), out var location) ? location : skill.Location;
}
