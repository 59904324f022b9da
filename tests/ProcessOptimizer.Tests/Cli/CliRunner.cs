using System.Text.Json;
using ProcessOptimizer.Cli;

namespace ProcessOptimizer.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandDispatcher.RunAsync(args, output, error).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    public static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
