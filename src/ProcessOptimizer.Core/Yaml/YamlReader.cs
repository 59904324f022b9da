using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProcessOptimizer.Core.Yaml;

/// <summary>Reads one YAML document into <see cref="YamlNode"/>s, resolving anchors and aliases.</summary>
/// <remarks>
/// Malformed YAML throws <see cref="YamlFormatException"/> with the line and column, and so does a document
/// nested deeper than <see cref="MaxDepth"/> or larger than <see cref="MaxNodes"/> nodes with every alias
/// expanded. YamlDotNet's parser keeps its own stack on the heap; the limits bound this reader's recursion
/// and every walk over the tree after it, and stop an alias bomb (aliases of aliases) before it is walked.
/// </remarks>
public static class YamlReader
{
    /// <summary>Deepest nesting of mappings and sequences. A strategy needs about six.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes in a document, counting each alias as a copy of what it names.</summary>
    public const int MaxNodes = 200_000;
    /// <summary>Parses the first document of <paramref name="text"/>; an empty text gives an empty mapping.</summary>
    public static YamlNode Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new ReadState();
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return new YamlMapping(new SourceLocation(1, 1), []);
            }

            parser.Consume<DocumentStart>();
            return ReadNode(parser, state, 0);
        }
        catch (YamlException ex)
        {
            throw new YamlFormatException(ex.InnerException?.Message ?? ex.Message, Location(ex.Start));
        }
        catch (InvalidOperationException ex) when (ex.Source == typeof(Parser).Assembly.GetName().Name)
        {
            // YamlDotNet's scanner fails this way on some malformed input instead of with a YamlException.
            throw new YamlFormatException("the YAML parser could not read past this point", Location(state.Last));
        }
    }

    private static YamlNode ReadNode(IParser parser, ReadState state, int depth)
    {
        var start = parser.Current ?? throw new YamlFormatException("unexpected end of document", Location(state.Last));
        state.Last = start.Start;
        var before = state.Size;
        YamlNode node;
        string anchor;
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlFormatException($"unknown alias *{alias.Value.Value}", Location(alias.Start));
                }

                Count(state, target.Size, alias);
                return target.Node;
            case Scalar scalar:
                parser.MoveNext();
                anchor = scalar.Anchor.IsEmpty ? "" : scalar.Anchor.Value;
                node = new YamlScalar(Location(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
                break;
            case SequenceStart sequence:
                Enter(depth, sequence);
                parser.MoveNext();
                anchor = sequence.Anchor.IsEmpty ? "" : sequence.Anchor.Value;
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, state, depth + 1));
                }

                node = new YamlSequence(Location(sequence.Start), items);
                break;
            case MappingStart mapping:
                Enter(depth, mapping);
                parser.MoveNext();
                anchor = mapping.Anchor.IsEmpty ? "" : mapping.Anchor.Value;
                var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, state, depth + 1) as YamlScalar
                        ?? throw new YamlFormatException("mapping keys must be scalars", Location(mapping.Start));
                    entries.Add(new(key, ReadNode(parser, state, depth + 1)));
                }

                node = new YamlMapping(Location(mapping.Start), entries);
                break;
            default:
                throw new YamlFormatException($"unexpected {start.GetType().Name}", Location(start.Start));
        }

        Count(state, 1, start);
        if (!string.IsNullOrEmpty(anchor))
        {
            state.Anchors[anchor] = (node, state.Size - before);
        }

        return node;
    }

    private static void Enter(int depth, ParsingEvent start)
    {
        if (depth >= MaxDepth)
        {
            throw new YamlFormatException($"nested more than {MaxDepth} levels deep", Location(start.Start));
        }
    }

    private static void Count(ReadState state, long added, ParsingEvent at)
    {
        state.Size += added;
        if (state.Size > MaxNodes)
        {
            throw new YamlFormatException($"more than {MaxNodes} nodes, counting each alias as a copy of what it names", Location(at.Start));
        }
    }

    private static SourceLocation Location(Mark mark) => new((int)mark.Line, (int)mark.Column);

    private sealed class ReadState
    {
        public Dictionary<string, (YamlNode Node, long Size)> Anchors { get; } = new(StringComparer.Ordinal);

        /// <summary>Nodes read so far, each alias counted as the whole subtree it stands for.</summary>
        public long Size { get; set; }

        /// <summary>Where the last event read started, for errors that come without a place.</summary>
        public Mark Last { get; set; } = Mark.Empty;
    }
}
