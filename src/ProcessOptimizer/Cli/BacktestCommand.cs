using System.Globalization;
using ProcessOptimizer.Backtests;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Cli;

/// <summary>
/// <c>backtest --from T1 --to T2 [--step 5m] [--version V]... [--horizon 45m] [--out DIR]</c>: replays versions over
/// the configured database's history with the configured store and solver workers; a progress bar on stderr, the
/// summary table on stdout, and <c>summary.json</c>, <c>steps.csv</c> and <c>report.html</c> in the folder.
/// </summary>
internal static class BacktestCommand
{
    /// <param name="library">The solver's library; the one the imports bind unless given (a test's missing one).</param>
    /// <exception cref="UsageException">The command line or the configuration is invalid.</exception>
    public static Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, IpoptLibrary? library, CancellationToken cancellationToken)
    {
        var request = Request(line);
        var folder = line.Option("--out") ?? "backtest";
        // The service's own composition, without its loop, API or demo feeder: the same store, database and workers.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", .. line.Rest, "--App:Mode=api", "--Demo:Replay=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        try
        {
            builder.AddProcessOptimizer();
            if (library is not null)
            {
                builder.Services.AddSingleton(library);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException(ex.Message);
        }

        return RunAsync(builder.Build(), request, folder, output, error, cancellationToken);
    }

    private static async Task<int> RunAsync(IHost host, BacktestRequest request, string folder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var owned = host;
        // Ctrl+C stops the backtest between steps; it is stored as cancelled with the steps done so far.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler stop = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += stop;
        cancellationToken = interrupted.Token;
        var services = host.Services;
        var pool = services.GetService<WorkerPool>();
        try
        {
            await services.GetRequiredService<ProcessDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
            if (pool is not null)
            {
                await pool.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var engine = services.GetRequiredService<BacktestEngine>();
            using var plan = await engine.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backtest {plan.Id}: {plan.StepCount} steps of {plan.Step} from {plan.From:O} to {plan.To:O}, versions {string.Join(", ", plan.Versions.Select(v => v.Version))}, {pool?.Size ?? 0} solver workers"));
            var bar = new ProgressBar(error);
            BacktestSummary summary;
            try
            {
                summary = await engine.RunAsync(plan, bar, null, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                bar.Finish();
            }

            await BacktestFiles.WriteAsync(services.GetRequiredService<IBacktestStore>(), summary, plan.Versions, folder, cancellationToken).ConfigureAwait(false);
            SummaryTable.Write(output, summary);
            output.WriteLine($"wrote {Path.Combine(folder, "summary.json")}, steps.csv and report.html");
            return ExitCodes.Success;
        }
        catch (BacktestException ex)
        {
            error.WriteLine($"backtest: {ex.Message}");
            return ExitCodes.Invalid;
        }
        catch (Exception ex) when (ex is DatabaseException or OperationCanceledException or IOException or SolverUnavailableException)
        {
            error.WriteLine($"backtest: {ex.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= stop;
            if (pool is not null)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static BacktestRequest Request(CommandLine line)
    {
        try
        {
            return new BacktestRequest(
                Time(line.Required("--from")),
                Time(line.Required("--to")),
                line.Option("--step") is { } step ? Durations.Parse(step) : null,
                line.All("--version"),
                line.Option("--horizon") is { } horizon ? Durations.Parse(horizon) : null);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"backtest: {ex.Message}");
        }
    }

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' is not a time such as 2026-01-02T00:00:00Z");
}
