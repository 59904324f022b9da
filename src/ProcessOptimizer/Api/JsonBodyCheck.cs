using System.Text.Json;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>One pass over a parsed body for the first name or string that is not valid text, or duplicate key.</summary>
/// <remarks>
/// A window is a few thousand values in about a hundred objects, checked on every request: the path is built only
/// for the element that fails, and one set of names per depth is reused, so a valid body costs no path strings
/// and no set per row. The parser's depth limit (64) bounds the recursion.
/// </remarks>
internal sealed class JsonBodyCheck
{
    // On a problem, the path from the failing element up to the root, innermost segment first.
    private readonly List<string> _trail = [];
    private readonly List<HashSet<string>> _names = [];

    /// <returns>The first problem, naming where it is (<c>$.input_data[3].data</c>), or null.</returns>
    public string? Problem(JsonElement root) =>
        Find(root, 0) is { } problem ? problem("$" + string.Concat(Enumerable.Reverse(_trail))) : null;

    // The problem found in element, as a message still to be given its path.
    private Func<string, string>? Find(JsonElement element, int depth)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (Find(item, depth + 1) is { } inner)
                        {
                            _trail.Add($"[{index}]");
                            return inner;
                        }

                        index++;
                    }

                    return null;
                case JsonValueKind.Object:
                    var names = NamesAt(depth);
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        if (!names.Add(name))
                        {
                            return path => $"duplicate key '{Echo.Short(name)}' in {path}";
                        }

                        if (Find(property.Value, depth + 1) is { } inner)
                        {
                            _trail.Add($".{Echo.Short(name)}");
                            return inner;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return path => $"a name or string in {path} is not valid text: invalid UTF-8 or a lone UTF-16 surrogate";
        }
    }

    // An object's names are done with once it is checked, so the next object at the same depth reuses its set.
    private HashSet<string> NamesAt(int depth)
    {
        while (_names.Count <= depth)
        {
            _names.Add(new HashSet<string>(StringComparer.Ordinal));
        }

        var names = _names[depth];
        names.Clear();
        return names;
    }
}
