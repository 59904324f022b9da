namespace ProcessOptimizer.Cli;

/// <summary>A parsed command line: a subcommand, its <c>--name value</c> options and its <c>--flag</c>s.</summary>
internal sealed record CommandLine(string Command, IReadOnlyDictionary<string, string> Options, IReadOnlySet<string> Flags, IReadOnlyList<string> Rest)
{
    /// <summary>Every <c>--name value</c> pair in order, for options that may repeat (<c>--version</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; init; } = [];

    public const string DefaultCommand = "run";

    /// <summary>The commands there are.</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(["run", "optimize", "validate", "import-data", "backtest"], StringComparer.Ordinal);

    /// <summary>Splits <paramref name="args"/>; arguments that are not ours (such as <c>--Urls=...</c>) stay in <see cref="Rest"/> for configuration.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> flagNames)
    {
        // A first word that is not an option or a configuration setting is a command, known or not: a typo such as
        // "optimise" must not start the service.
        var command = args.Count > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal) ? args[0] : DefaultCommand;
        var start = command == DefaultCommand && (args.Count == 0 || args[0] != DefaultCommand) ? 0 : 1;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var rest = new List<string>();
        var pairs = new List<KeyValuePair<string, string>>();
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (flagNames.Contains(arg))
            {
                flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options[arg] = args[++i];
                pairs.Add(new(arg, options[arg]));
            }
            else
            {
                rest.Add(arg);
            }
        }

        return new CommandLine(command, options, flags, rest) { Pairs = pairs };
    }

    public string? Option(string name) => Options.GetValueOrDefault(name);

    /// <summary>Every value given for <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> All(string name) => [.. Pairs.Where(p => p.Key == name).Select(p => p.Value)];

    /// <exception cref="UsageException">The option is missing.</exception>
    public string Required(string name) => Options.GetValueOrDefault(name) ?? throw new UsageException($"{Command}: missing required option {name}");
}
