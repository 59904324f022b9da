using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProcessOptimizer.Core.Yaml;

/// <summary>Reads one YAML document into <see cref="YamlNode"/>s, resolving anchors and aliases.</summary>
/// <remarks>Malformed YAML throws <see cref="YamlFormatException"/> with the line and column.</remarks>
public static class YamlReader
{
    /// <summary>Parses the first document of <paramref name="text"/>; an empty text gives an empty mapping.</summary>
    public static YamlNode Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return new YamlMapping(new SourceLocation(1, 1), []);
            }

            parser.Consume<DocumentStart>();
            return ReadNode(parser, anchors);
        }
        catch (YamlException ex)
        {
            throw new YamlFormatException(ex.InnerException?.Message ?? ex.Message, Location(ex.Start));
        }
    }

    private static YamlNode ReadNode(IParser parser, Dictionary<string, YamlNode> anchors)
    {
        var start = parser.Current ?? throw new YamlFormatException("unexpected end of document", new SourceLocation(1, 1));
        YamlNode node;
        string anchor;
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new YamlFormatException($"unknown alias *{alias.Value.Value}", Location(alias.Start));
            case Scalar scalar:
                parser.MoveNext();
                anchor = scalar.Anchor.IsEmpty ? "" : scalar.Anchor.Value;
                node = new YamlScalar(Location(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
                break;
            case SequenceStart sequence:
                parser.MoveNext();
                anchor = sequence.Anchor.IsEmpty ? "" : sequence.Anchor.Value;
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors));
                }

                node = new YamlSequence(Location(sequence.Start), items);
                break;
            case MappingStart mapping:
                parser.MoveNext();
                anchor = mapping.Anchor.IsEmpty ? "" : mapping.Anchor.Value;
                var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors) as YamlScalar
                        ?? throw new YamlFormatException("mapping keys must be scalars", Location(mapping.Start));
                    entries.Add(new(key, ReadNode(parser, anchors)));
                }

                node = new YamlMapping(Location(mapping.Start), entries);
                break;
            default:
                throw new YamlFormatException($"unexpected {start.GetType().Name}", Location(start.Start));
        }

        if (!string.IsNullOrEmpty(anchor))
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static SourceLocation Location(Mark mark) => new((int)mark.Line, (int)mark.Column);
}
