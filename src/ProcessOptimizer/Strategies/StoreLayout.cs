using System.Text.RegularExpressions;

namespace ProcessOptimizer.Strategies;

/// <summary>The seed's bucket layout: <c>configs/process-optimization-strategy-config-{version}.yaml</c> and a version pointer.</summary>
public static partial class StoreLayout
{
    public const string ConfigPrefix = "configs/process-optimization-strategy-config-";

    public static string ConfigKey(string version) => $"{ConfigPrefix}{version}.yaml";

    /// <summary>The version in a config key, or null for other keys.</summary>
    public static string? VersionOf(string key) =>
        key.StartsWith(ConfigPrefix, StringComparison.Ordinal) && key.EndsWith(".yaml", StringComparison.Ordinal)
            ? key[ConfigPrefix.Length..^".yaml".Length]
            : null;

    /// <summary>Versions name files: letters, digits, dots, dashes and underscores only.</summary>
    public static bool IsValidVersion(string version) => VersionPattern().IsMatch(version);

    /// <summary>The pointer file's text for a version: one mapping from the pointer's own file name to it.</summary>
    public static string PointerText(string pointerKey, string version) => $"{Path.GetFileName(pointerKey)}: {version}\n";

    /// <summary>The version a pointer file names.</summary>
    /// <exception cref="FormatException">The text is not a one-entry mapping to a valid version.</exception>
    public static string ParsePointer(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'))
            ?? throw new FormatException("the deployed-version file is empty");
        var colon = line.LastIndexOf(':');
        var version = colon < 0 ? "" : line[(colon + 1)..].Trim().Trim('\'', '"');
        return IsValidVersion(version) ? version : throw new FormatException($"the deployed-version file does not name a valid version: '{line}'");
    }

    // \z, not $: "$" also matches before a final newline, and "1.0.0\n" is not a version.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex VersionPattern();
}
