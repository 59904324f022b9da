using ProcessOptimizer.Configuration;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Cli;

/// <summary>The command line's one-shot tools on the service's own layers, from the same configuration sources.</summary>
internal static class ToolRegistration
{
    /// <exception cref="UsageException">The configuration is invalid; the message lists every problem.</exception>
    /// <param name="library">The solver's library; the one the imports bind unless given (a test's missing one).</param>
    public static HostApplicationBuilder AddCommandLineTools(this HostApplicationBuilder builder, IpoptLibrary? library = null)
    {
        var configuration = builder.Configuration;
        var optimization = configuration.GetSection(OptimizationSettings.Section).Get<OptimizationSettings>() ?? new OptimizationSettings();
        var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
        var invalid = optimization.Problems().Concat(database.Problems()).ToList();
        if (invalid.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, invalid));
        }

        // Standard output carries a command's answer (optimize prints JSON): the host's console log would mix into it.
        builder.Logging.ClearProviders();
        builder.Services.AddSolving(optimization, library);
        builder.Services.AddSingleton(database);
        builder.Services.AddTransient<ValidateCommand>();
        builder.Services.AddTransient<OptimizeCommand>();
        builder.Services.AddTransient<ImportCommand>();
        return builder;
    }
}
