using System.Text.RegularExpressions;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// The seed's bucket layout: a version pointer <c>process-optimization-strategy-config.yaml</c> and its versions at
/// <c>configs/process-optimization-strategy-config-{version}.yaml</c>. Every strategy follows it from its own
/// pointer: <c>plant-a/cooler.yaml</c> has its versions at <c>plant-a/configs/cooler-{version}.yaml</c>.
/// </summary>
public static partial class StoreLayout
{
    /// <summary>The seed's pointer, which the default strategy uses unless configured otherwise.</summary>
    public const string DefaultPointer = "process-optimization-strategy-config.yaml";

    public const string ConfigPrefix = "configs/process-optimization-strategy-config-";

    public static string ConfigKey(string version) => ConfigKey(DefaultPointer, version);

    /// <summary>The key of <paramref name="version"/> of the strategy whose pointer is <paramref name="pointerKey"/>.</summary>
    public static string ConfigKey(string pointerKey, string version) => $"{ConfigPrefixOf(pointerKey)}{version}.yaml";

    /// <summary>Where the versions of the strategy with this pointer are kept: the pointer's folder, <c>configs/</c>, its file name's stem and a dash.</summary>
    public static string ConfigPrefixOf(string pointerKey)
    {
        ArgumentNullException.ThrowIfNull(pointerKey);
        var slash = pointerKey.LastIndexOf('/');
        var file = pointerKey[(slash + 1)..];
        var dot = file.LastIndexOf('.');
        return $"{pointerKey[..(slash + 1)]}configs/{(dot > 0 ? file[..dot] : file)}-";
    }

    /// <summary>The version in a config key, or null for other keys.</summary>
    public static string? VersionOf(string key) => VersionOf(DefaultPointer, key);

    /// <summary>The version in a config key of the strategy with this pointer, or null for other keys.</summary>
    public static string? VersionOf(string pointerKey, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prefix = ConfigPrefixOf(pointerKey);
        return key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(".yaml", StringComparison.Ordinal)
            ? key[prefix.Length..^".yaml".Length]
            : null;
    }

    /// <summary>Versions name files: letters, digits, dots, dashes and underscores only.</summary>
    public static bool IsValidVersion(string version) => VersionPattern().IsMatch(version);

    /// <summary>Why <see cref="IsValidVersion"/> refuses <paramref name="version"/>, repeating at most 80 characters of it.</summary>
    public static string InvalidVersion(string version) =>
        $"'{Echo.Short(version)}' is not a valid version (letters, digits, '.', '-' and '_', at most 64 characters)";

    /// <summary>The pointer file's text for a version: one mapping from the pointer's own file name to it.</summary>
    public static string PointerText(string pointerKey, string version) => $"{Path.GetFileName(pointerKey)}: {version}\n";

    /// <summary>The version the pointer file <paramref name="pointerKey"/> names.</summary>
    /// <exception cref="StrategyVersionException">The text is not a one-entry mapping to a valid version; the message names the pointer.</exception>
    public static string ParsePointer(string pointerKey, string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        var colon = line?.LastIndexOf(':') ?? -1;
        var version = colon < 0 ? "" : line![(colon + 1)..].Trim().Trim('\'', '"');
        if (IsValidVersion(version))
        {
            return version;
        }

        var problem = line is null ? "the deployed-version file is empty" : $"the deployed-version file does not name a valid version: '{line}'";
        throw new StrategyVersionException("?", [new StrategyProblem($"{pointerKey}: {problem}", null)]);
    }

    // \z, not $: "$" also matches before a final newline, and "1.0.0\n" is not a version.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex VersionPattern();
}
