using System.Text.RegularExpressions;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Shortens what a message repeats from its input, so that a megabyte name is not sent back whole.</summary>
public static partial class Echo
{
    /// <summary>Longest piece of input a message repeats, in characters.</summary>
    public const int MaxLength = 80;

    /// <summary><paramref name="text"/>, cut to <see cref="MaxLength"/> characters with an ellipsis.</summary>
    public static string Short(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
    }

    /// <summary>The message with every quoted part longer than <see cref="MaxLength"/> cut short.</summary>
    public static string Quoted(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Quote().Replace(message, m => m.Groups[1].Length > MaxLength ? $"'{Short(m.Groups[1].Value)}'" : m.Value);
    }

    // Quotes pair left to right; an apostrophe inside a word ("the seed's") neither opens nor closes one.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])'([^'\n]*?)'(?![\p{L}\p{N}])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Quote();
}
