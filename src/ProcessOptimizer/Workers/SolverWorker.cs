using System.Net.Sockets;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The <c>solver-worker</c> subcommand: one process, one solve at a time, strategies and models kept warm in
/// its own cache between requests. It connects to the socket its parent named, builds strategies only from
/// artifacts the parent sends (asking for those it lacks), and ends when the parent closes the channel or is gone.
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
        // The channel is read and written with blocking calls: between requests this thread sleeps in the read,
        // and a request is solved on the thread that read it. Asynchronous reads went through the socket engine
        // and the thread pool, whose threads spun after every answer: a tenth of a worker's CPU for no solve.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var channel = new NetworkStream(socket, ownsSocket: false);
        using var requests = WorkerProtocol.Reader(channel);
        if (WorkerProtocol.Read<WorkerSetup>(requests) is not { } setup)
        {
            return 0;
        }

        var storage = JsonSerializer.Deserialize<StorageSettings>(setup.StorageJson) ?? throw new InvalidDataException("the worker setup holds no storage settings");
        // The service checked the same library before sending anything; should this process still fail to load it,
        // each request is answered with the reason instead of the worker dying on it, and being replaced, every time.
        var library = new IpoptLibrary();
        if (library.Problem is { } unavailable)
        {
            error.WriteLine(unavailable);
        }

        var solver = new IpoptSolver(library);
        var strategies = new WorkerStrategies(storage, solver);
        while (WorkerProtocol.Read<SolveRequest>(requests) is { } request)
        {
            if (strategies.Missing(request.Artifacts) is { Count: > 0 } missing)
            {
                WorkerProtocol.Write<IWorkerAnswer>(channel, new SolveReply(WorkerProtocol.Version, null, null, missing));
                if (WorkerProtocol.Read<WorkerArtifacts>(requests) is not { } sent)
                {
                    return 0;
                }

                strategies.Add(sent.Artifacts);
            }

            using var notice = new SolveNotice(channel);
            var reply = await SolveAsync(strategies, solver, request, notice.Begin).ConfigureAwait(false);
            notice.Answer(reply);
        }

        return 0;
    }

    // Marks when the solve begins (begin), once the strategy is built: the deadline counts from there, here as
    // in-process, and the service, told of it, kills a worker that has not answered by that deadline and a grace;
    // before it, the worker is building, which the service does not kill for (KillAfterSeconds aside), unless the
    // request is for a version it holds built, which has no build: then the deadline counts from the sending.
    private static async Task<SolveReply> SolveAsync(WorkerStrategies strategies, INonlinearSolver solver, SolveRequest request, Action begin)
    {
        // An inline strategy borrows models that the cache and the live version own: the lease keeps them.
        using var live = strategies.Live?.Lease();
        DeployedStrategy deployed;
        try
        {
            deployed = request.InlineText is { } text ? await strategies.InlineAsync(text).ConfigureAwait(false)
                : request.Replay ? await strategies.ReplayedAsync(request.Version, request.Artifacts).ConfigureAwait(false)
                : await strategies.DeployedAsync(request.PointerKey, request.Version, request.Artifacts).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageException or StrategyVersionException or SolverUnavailableException)
        {
            return new SolveReply(WorkerProtocol.Version, null, ex.Message);
        }

        if (request.Rows.Count == 0)
        {
            // A warm-up: the strategy is built and kept, and there is nothing to solve.
            return new SolveReply(WorkerProtocol.Version, null, null);
        }

        using var lease = deployed.Lease();
        var settings = new SolverSettings { MaxIterations = request.MaxIterations, Tolerance = request.Tolerance, UseExactHessian = request.ExactHessian, Previous = request.Warm };
        begin();
        try
        {
            var result = Cycles.CycleSolver.RunHere(solver, deployed.Compiled, new CycleInput(request.Rows), settings, request.MaxSolveSeconds, TimeProvider.System, CancellationToken.None);
            return new SolveReply(WorkerProtocol.Version, result, null);
        }
        catch (SolverUnavailableException ex)
        {
            return new SolveReply(WorkerProtocol.Version, null, ex.Message);
        }
    }
}
