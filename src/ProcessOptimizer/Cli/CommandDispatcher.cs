using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Cli;

/// <summary>Chooses the subcommand. <c>run</c> (the default) starts the service; the others are one-shot tools.</summary>
internal static class CommandDispatcher
{
    private static readonly HashSet<string> Flags = ["--check-derivatives"];

    /// <param name="library">The solver's library; the one the imports bind unless given (a test's missing one).</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IpoptLibrary? library = null)
    {
        // Hidden: the service starts its solver workers this way; it is not a command for people.
        if (args is [Workers.SolverWorker.Command, .. var workerArgs])
        {
            return Workers.SolverWorker.RunAsync(workerArgs, error);
        }

        var line = CommandLine.Parse(args, Flags);
        if (line.Command == CommandLine.DefaultCommand)
        {
            return Hosting.ServiceHost.RunAsync([.. line.Rest, .. line.Options.SelectMany(p => new[] { p.Key, p.Value })], error);
        }

        try
        {
            if (!CommandLine.Commands.Contains(line.Command))
            {
                throw new UsageException($"unknown command '{Core.Strategies.Echo.Short(line.Command)}'");
            }

            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine([.. line.Rest])
                .Build();
            var settings = configuration.GetSection(OptimizationSettings.Section).Get<OptimizationSettings>() ?? new OptimizationSettings();
            var database = configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();
            var invalid = settings.Problems().Concat(database.Problems()).ToList();
            if (invalid.Count > 0)
            {
                throw new UsageException(string.Join(Environment.NewLine, invalid));
            }

            library ??= new IpoptLibrary();
            if (line.Command is "validate" or "optimize")
            {
                // Before any file is read: without the library neither command can say anything true.
                library.ThrowIfUnavailable();
            }

            var solver = new IpoptSolver(library);
            return line.Command switch
            {
                "validate" => Task.FromResult(new ValidateCommand(solver).Run(line, output, error)),
                "optimize" => Task.FromResult(new OptimizeCommand(solver, settings, TimeProvider.System).Run(line, output, error)),
                "import-data" => new ImportCommand(database).RunAsync(line, output, error, CancellationToken.None),
                "backtest" => BacktestCommand.RunAsync(line, output, error, CancellationToken.None),
                _ => throw new UsageException($"'{line.Command}' cannot run here"),
            };
        }
        catch (UsageException ex)
        {
            error.WriteLine(ex.Message);
            error.WriteLine("usage: ProcessOptimizer [run] | optimize --strategy FILE --input FILE [--store DIR] [--check-derivatives] | validate --strategy FILE [--store DIR] | import-data --csv FILE | backtest --from T1 --to T2 [--step 5m] [--version V]... [--horizon 45m] [--out DIR]");
            return Task.FromResult(ExitCodes.Invalid);
        }
        catch (SolverUnavailableException ex)
        {
            error.WriteLine(ex.Message);
            return Task.FromResult(ExitCodes.Failed);
        }
    }
}
