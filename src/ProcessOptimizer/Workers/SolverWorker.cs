using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The <c>solver-worker</c> subcommand: one process, one solve at a time, strategies and models kept warm in
/// its own cache between requests. It connects to the socket its parent named, and ends when the parent closes
/// the channel or is gone.
/// </summary>
internal static class SolverWorker
{
    public const string Command = "solver-worker";

    /// <param name="args"><c>SOCKET PARENT_PID</c>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        if (args is not [var socketPath, var parent] || !int.TryParse(parent, out var parentPid))
        {
            error.WriteLine($"{Command} is started by the service: {Command} SOCKET PARENT_PID");
            return 2;
        }

        // Should the parent die in the middle of a solve, the worker does not outlive it.
        using var watch = new Timer(_ =>
        {
            if (!Directory.Exists($"/proc/{parentPid}"))
            {
                Environment.Exit(0);
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        await using var channel = new NetworkStream(socket, ownsSocket: false);
        if (await WorkerProtocol.ReadAsync<WorkerSetup>(channel, CancellationToken.None).ConfigureAwait(false) is not { } setup)
        {
            return 0;
        }

        var storage = JsonSerializer.Deserialize<StorageSettings>(setup.StorageJson) ?? throw new InvalidDataException("the worker setup holds no storage settings");
        var store = storage.CreateStore();
        using var owned = store as IDisposable;
        var solver = new IpoptSolver();
        var repository = new StrategyRepository(store, storage, solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        await WarmAsync(repository).ConfigureAwait(false);
        while (await WorkerProtocol.ReadAsync<SolveRequest>(channel, CancellationToken.None).ConfigureAwait(false) is { } request)
        {
            var reply = await SolveAsync(repository, solver, request).ConfigureAwait(false);
            await WorkerProtocol.WriteAsync(channel, reply, CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }

    // Load the deployed version before the first request, so the first answer costs no more than the rest.
    private static async Task WarmAsync(StrategyRepository repository)
    {
        try
        {
            await repository.CurrentAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageException or StrategyVersionException)
        {
            // Nothing deployed yet, or the store is away: the first request loads it or reports why not.
        }
    }

    private static async Task<SolveReply> SolveAsync(StrategyRepository repository, INonlinearSolver solver, SolveRequest request)
    {
        DeployedStrategy deployed;
        try
        {
            deployed = request.InlineText is { } text
                ? await InlineAsync(repository, solver, text).ConfigureAwait(false)
                : await DeployedAsync(repository, request.Version).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageException or StrategyVersionException)
        {
            return new SolveReply(WorkerProtocol.Version, null, ex.Message);
        }

        using var lease = deployed.Lease();
        var settings = new SolverSettings { MaxIterations = request.MaxIterations, Tolerance = request.Tolerance, UseExactHessian = request.ExactHessian };
        var result = Cycles.CycleSolver.RunHere(solver, deployed.Compiled, new CycleInput(request.Rows), settings, request.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);
        return new SolveReply(WorkerProtocol.Version, result, null);
    }

    // The service names the version it ran with: a switch it has seen is looked up now, not after the recheck interval.
    private static async Task<DeployedStrategy> DeployedAsync(StrategyRepository repository, string version)
    {
        var current = await repository.CurrentAsync(CancellationToken.None).ConfigureAwait(false);
        if (current.Version == version)
        {
            return current;
        }

        repository.Recheck();
        current = await repository.CurrentAsync(CancellationToken.None).ConfigureAwait(false);
        return current.Version == version ? current : await repository.LoadAsync(version, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<DeployedStrategy> InlineAsync(StrategyRepository repository, INonlinearSolver solver, string text)
    {
        var (strategy, problems) = StrategyLoader.Read(text, solver.ValidateOption, StrategyLimits.Inline);
        return strategy is null
            ? throw new StrategyVersionException("inline", problems)
            : await repository.BuildAsync("inline", strategy, problems, CancellationToken.None).ConfigureAwait(false);
    }
}
