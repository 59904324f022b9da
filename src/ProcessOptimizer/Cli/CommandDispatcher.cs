using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Cli;

/// <summary>Chooses the subcommand. <c>run</c> (the default) starts the service; the others are one-shot tools.</summary>
internal static class CommandDispatcher
{
    private static readonly HashSet<string> Flags = ["--check-derivatives"];

    /// <param name="library">The solver's library; the one the imports bind unless given (a test's missing one).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IpoptLibrary? library = null)
    {
        // Hidden: the service starts its solver workers this way; it is not a command for people.
        if (args is [Workers.SolverWorker.Command, .. var workerArgs])
        {
            return await Workers.SolverWorker.RunAsync(workerArgs, error).ConfigureAwait(false);
        }

        var line = CommandLine.Parse(args, Flags);
        if (line.Command == CommandLine.DefaultCommand)
        {
            return await Hosting.ServiceHost.RunAsync([.. line.Rest, .. line.Options.SelectMany(p => new[] { p.Key, p.Value })], error).ConfigureAwait(false);
        }

        try
        {
            if (!CommandLine.Commands.Contains(line.Command))
            {
                throw new UsageException($"unknown command '{Core.Strategies.Echo.Short(line.Command)}'");
            }

            if (line.Command == "backtest")
            {
                // The service's whole composition, without its loop and API.
                return await BacktestCommand.RunAsync(line, output, error, library, CancellationToken.None).ConfigureAwait(false);
            }

            // The same configuration sources as the service (appsettings.json, the environment, the command line).
            using var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. line.Rest], ContentRootPath = AppContext.BaseDirectory })
                .AddCommandLineTools(library)
                .Build();
            var tools = host.Services;
            if (line.Command is "validate" or "optimize")
            {
                // Before any file is read: without the library neither command can say anything true.
                tools.GetRequiredService<IpoptLibrary>().ThrowIfUnavailable();
            }

            // Awaited here: the tools' host stays up until the command ends, and what the command throws from its task
            // (import-data's check of its options) reaches the handlers below.
            return line.Command switch
            {
                "validate" => tools.GetRequiredService<ValidateCommand>().Run(line, output, error),
                "optimize" => tools.GetRequiredService<OptimizeCommand>().Run(line, output, error),
                "import-data" => await tools.GetRequiredService<ImportCommand>().RunAsync(line, output, error, CancellationToken.None).ConfigureAwait(false),
                _ => throw new UsageException($"'{line.Command}' cannot run here"),
            };
        }
        catch (UsageException ex)
        {
            error.WriteLine(ex.Message);
            error.WriteLine("usage: ProcessOptimizer [run] | optimize --strategy FILE --input FILE [--store DIR] [--check-derivatives] | validate --strategy FILE [--store DIR] | import-data --csv FILE | backtest --from T1 --to T2 [--step 5m] [--version V]... [--horizon 45m] [--out DIR]");
            return ExitCodes.Invalid;
        }
        catch (SolverUnavailableException ex)
        {
            error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }
    }
}
