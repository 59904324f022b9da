using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The service's side of one solver worker: the child process and its socket. One solve at a time; a solve that
/// fails with <see cref="SolverWorkerException"/> leaves the worker unusable, and the owner must dispose it.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly NetworkStream _channel;
    private readonly ReplyReader _replies;
    private readonly BuiltVersions _built = new();
    // Live versions a warm-up could not build here (pointer, version): left to the requests for them, which say why,
    // where a warm-up after every request would build them again and hold the worker for nothing.
    private readonly HashSet<(string Pointer, string Version)> _unbuilt = [];
    private long _busySince;
    private TaskCompletionSource<long>? _started;
    private long _memoryReadAt;
    private int _disposed;
    private int _killed;

    private WorkerProcess(Process process, NetworkStream channel)
    {
        _process = process;
        _channel = channel;
        Pid = process.Id;
        _replies = new ReplyReader(channel, Pid);
        Exited = EndedAsync(process, Pid);
    }

    // Kept from the start: /health and /metrics describe every slot's worker, and may do so while the pool ends
    // one, after which its Process no longer answers.
    public int Pid { get; }

    public bool IsBusy => Interlocked.Read(ref _busySince) != 0;

    /// <summary>Whether the request it holds has begun its solve (the strategy is built), or is for a version it holds built, which it solves as soon as it reads it.</summary>
    public bool IsSolving => IsBusy && Volatile.Read(ref _started) is { Task.IsCompleted: true };

    /// <summary>Whether it has ended, or is being ended (disposed).</summary>
    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    /// <summary>Completes when the process has ended, for whatever reason, with how it ended, for a log or an error.</summary>
    public Task<string> Exited { get; }

    /// <summary>Whether its owner ended it (<see cref="Kill()"/> or <see cref="DisposeAsync"/>), as opposed to its ending by itself or from outside.</summary>
    public bool EndedByPool => Volatile.Read(ref _disposed) != 0 || Volatile.Read(ref _killed) != 0;

    /// <summary>
    /// Whether a warm-up would build <paramref name="deployed"/> here: the worker does not hold it built, and no warm-up
    /// failed to build it. Read only by the holder of its slot, as <see cref="BuiltVersions"/> is.
    /// </summary>
    public bool Lacks(DeployedStrategy deployed) =>
        !_built.Holds(deployed.PointerKey, deployed.Version, deployed.ArtifactVersions) && !_unbuilt.Contains((deployed.PointerKey, deployed.Version));

    /// <summary>A warm-up could not build <paramref name="deployed"/> here: no other warm-up tries it again.</summary>
    public void CouldNotBuild(DeployedStrategy deployed) => _unbuilt.Add((deployed.PointerKey, deployed.Version));

    /// <summary>Starts a worker and hands it its store settings; it is ready when this returns.</summary>
    /// <exception cref="SolverWorkerException">The worker did not start or connect.</exception>
    public static async Task<WorkerProcess> StartAsync(string storageJson, CancellationToken cancellationToken)
    {
        try
        {
            return await StartOnceAsync(storageJson, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or Win32Exception or UnauthorizedAccessException or ArgumentException)
        {
            // The machine refused the socket or the process (no temporary folder, a folder whose path is too long
            // for a socket's, no process left): the pool tries again, as for a worker that died, and requests are
            // told why, where any other exception left its slot failing every request for good.
            throw new SolverWorkerException(WorkerFailure.Crashed, $"the worker could not be started ({ex.GetType().Name}: {ex.Message})");
        }
    }

    // Linux holds a socket's path in 108 bytes with its terminating zero: a temporary folder with a long path (TMPDIR)
    // left no room for the name, and no worker could ever start. Such a folder gives way to /tmp.
    private static string SocketPath()
    {
        var name = $"process-optimizer-worker-{Guid.NewGuid():n}.sock";
        var path = Path.Combine(Path.GetTempPath(), name);
        return System.Text.Encoding.UTF8.GetByteCount(path) < 108 ? path : Path.Combine("/tmp", name);
    }

    private static async Task<WorkerProcess> StartOnceAsync(string storageJson, CancellationToken cancellationToken)
    {
        var path = SocketPath();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        Process? process = null;
        try
        {
            process = Process.Start(StartInfo(path)) ?? throw new SolverWorkerException(WorkerFailure.Crashed, "the worker process did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            var accept = listener.AcceptAsync(timeout.Token).AsTask();
            if (await Task.WhenAny(accept, process.WaitForExitAsync(timeout.Token)).ConfigureAwait(false) != accept || !accept.IsCompletedSuccessfully)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new SolverWorkerException(WorkerFailure.Crashed, process.HasExited ? $"the worker exited with code {process.ExitCode} before it connected" : $"the worker did not connect within {ConnectTimeout.TotalSeconds:F0} s");
            }

            // Only blocking calls on the channel from here: an asynchronous one would put the socket under the socket
            // engine, through which even a blocking read then waits (see ReplyReader).
            var channel = new NetworkStream(await accept.ConfigureAwait(false), ownsSocket: true);
            WorkerProtocol.Write(channel, new WorkerSetup(WorkerProtocol.Version, storageJson));
            var worker = new WorkerProcess(process, channel);
            process = null;
            return worker;
        }
        finally
        {
            if (process is not null)
            {
                Kill(process);
                process.Dispose();
            }

            File.Delete(path);
        }
    }

    /// <summary>Sends one request and waits for its answer, watching the deadline and resident memory meanwhile.</summary>
    /// <param name="started">
    /// Completed with the <see cref="Stopwatch"/> timestamp at which the solve began: the sending, for a deployed
    /// version this worker holds built (<see cref="BuiltVersions"/>); else when the worker said its solve began. From
    /// then the worker is killed once the solve's deadline and <see cref="WorkerPool.AnswerGrace"/> have passed without
    /// an answer; before then (building the request's strategy) only past <see cref="WorkerLimits.KillAfter"/>.
    /// </param>
    /// <exception cref="SolverWorkerException">The worker died, went past <paramref name="limits"/> or its solve's deadline, or broke the channel.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up; the worker is left mid-message and must be disposed.</exception>
    public async Task<SolveReply> SolveAsync(SolveRequest request, IReadOnlyList<StoredArtifact> artifacts, WorkerLimits limits, TaskCompletionSource<long>? started, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        Volatile.Write(ref _started, started);
        Interlocked.Exchange(ref _busySince, sent);
        var overdue = WorkerPool.AnswerBy(request.MaxSolveSeconds);
        // A version the worker holds built has no build phase: it solves as soon as it reads the request, so the
        // deadline counts from the sending. It tells of a solve only once the solve has run SolveNotice.After, and
        // one frozen before then (stopped, or hung in native code that stops the process) would else count as
        // building, which only KillAfter bounds. Its notice, should it come, leaves this earlier start as it is.
        var built = started is not null && _built.Holds(request);
        if (built)
        {
            started!.TrySetResult(sent);
        }

        try
        {
            // The read is not cancelled by the caller: a half-read answer cannot be resumed, so giving up means killing.
            var reply = SendAsync(request, artifacts, started);
            while (true)
            {
                // An answer that came as a wait ended is taken, never killed for: the request is answered once.
                if (reply.IsCompleted)
                {
                    return await reply.ConfigureAwait(false);
                }

                if (Stopwatch.GetElapsedTime(sent) > limits.KillAfter)
                {
                    throw new SolverWorkerException(WorkerFailure.ExceededDeadline, $"no answer after {limits.KillAfter.TotalSeconds:G4} s (Solver:KillAfterSeconds)");
                }

                if (started?.Task is { IsCompletedSuccessfully: true } begun && Stopwatch.GetElapsedTime(begun.Result) > overdue)
                {
                    throw new SolverWorkerException(WorkerFailure.ExceededDeadline, $"no answer {overdue.TotalSeconds:G4} s after {(built ? $"the request for version {request.Version}, which it had built," : "its solve began")} past the solve's deadline of {request.MaxSolveSeconds} s and {WorkerPool.AnswerGrace.TotalSeconds:G4} s more");
                }

                if (MemoryDue(limits) && ResidentMemory.Of(Pid) is { } resident && resident > limits.MemoryBytes)
                {
                    throw new SolverWorkerException(WorkerFailure.ExceededMemory, $"{resident / (1024 * 1024)} MB resident, above {limits.MemoryBytes / (1024 * 1024)} MB (Solver:WorkerMemoryMB)");
                }

                // The wait's timer is dropped as soon as the answer comes, where a delay racing it would stay
                // armed, and wake a thread for nothing, after every short solve. A wait that ends on its timer is
                // looked at, not thrown: a solve longer than the interval threw once per interval.
                var wait = reply.WaitAsync(limits.PollInterval, cancellationToken);
                await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (wait.Exception?.InnerException is not TimeoutException)
                {
                    return await wait.ConfigureAwait(false);
                }

                // Still solving when the wait ended (the answer may have come since, and is taken on the next turn):
                // look at the deadlines and the memory again.
            }
        }
        finally
        {
            Interlocked.Exchange(ref _busySince, 0);
        }
    }

    // Reading /proc costs more than a short solve's messages: resident memory is read at most once per poll
    // interval, within a long solve as across short ones, so a worker that grows is caught either way.
    private bool MemoryDue(WorkerLimits limits)
    {
        if (_memoryReadAt != 0 && Stopwatch.GetElapsedTime(_memoryReadAt) < limits.PollInterval)
        {
            return false;
        }

        _memoryReadAt = Stopwatch.GetTimestamp();
        return true;
    }

    /// <summary>Closes the channel, which ends an idle worker; one that does not end at once is killed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _channel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Exited.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill(_process);
            await Exited.ConfigureAwait(false);
        }

        // Only once its ending has been read: a released process no longer tells its exit code.
        _process.Dispose();
    }

    /// <summary>Ends the worker at once (SIGKILL); <see cref="DisposeAsync"/> still releases it.</summary>
    public void Kill()
    {
        // Marked first: the watch of its exit must not take the pool's own kill for a crash.
        Volatile.Write(ref _killed, 1);
        if (Volatile.Read(ref _disposed) == 0)
        {
            Kill(_process);
        }
    }

    // A worker that lacks some of the request's artifacts (new, replaced after a crash, or behind a version)
    // says which, gets them in one message, and then answers the request.
    private async Task<SolveReply> SendAsync(SolveRequest request, IReadOnlyList<StoredArtifact> artifacts, TaskCompletionSource<long>? started)
    {
        try
        {
            // A request is a few kilobytes, which the socket's buffer takes at once, and the worker reads nothing
            // else meanwhile: written on the caller's thread.
            var answer = _replies.NextAsync(started);
            WorkerProtocol.Write(_channel, request);
            var reply = await ReplyAsync(answer).ConfigureAwait(false);
            if (reply.Missing is { Count: > 0 } missing)
            {
                var wanted = missing.ToHashSet(StringComparer.Ordinal);
                var message = new WorkerArtifacts(WorkerProtocol.Version, [.. artifacts.Where(a => wanted.Contains(a.Key))]);
                // Models can be megabytes: written from the thread pool, so that a worker that stops reading holds
                // a pool thread until it is killed, not the caller, whose wait watches the deadline.
                answer = _replies.NextAsync(started);
                await Task.Run(() => WorkerProtocol.Write(_channel, message)).ConfigureAwait(false);
                reply = await ReplyAsync(answer).ConfigureAwait(false);
            }

            if (reply.Missing is { Count: > 0 } still)
            {
                throw new InvalidDataException($"the worker still lacks {string.Join(", ", still)} after they were sent");
            }

            _built.Answered(request, reply);
            return reply;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidDataException or MessagePackSerializationException)
        {
            throw new SolverWorkerException(WorkerFailure.Crashed, $"{Ending()} ({ex.Message})");
        }
    }

    private async Task<SolveReply> ReplyAsync(Task<SolveReply?> answer) =>
        await answer.ConfigureAwait(false) ?? throw new SolverWorkerException(WorkerFailure.Crashed, Ending());

    /// <summary>How it ended, or that it closed its channel, for a log or an error.</summary>
    public string Ending() =>
        // The channel closes a moment before the process is reaped; wait briefly so the exit status can be named.
        Exited.Wait(TimeSpan.FromMilliseconds(200)) ? Exited.Result : $"worker {Pid} closed its channel";

    // Read as soon as it ends, before the pool can release the process (DisposeAsync waits for this), after which
    // the exit code no longer reads: the watch of its exit and a request that lost it may describe it at any time.
    private static async Task<string> EndedAsync(Process process, int pid)
    {
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode > 128 ? $"worker {pid} was killed by signal {process.ExitCode - 128}" : $"worker {pid} exited with code {process.ExitCode}";
    }

    private static void Kill(Process process)
    {
        try
        {
            // A worker starts no process of its own. Killing the whole tree would read every process on the
            // machine to find none: most of a shutdown's CPU time, stretched many times on a loaded machine.
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // The same executable: through the dotnet host when this process runs under it (tests, `dotnet run`), else the app host.
    private static ProcessStartInfo StartInfo(string socketPath)
    {
        var folder = Path.GetDirectoryName(typeof(WorkerProcess).Assembly.Location)!;
        var host = Environment.ProcessPath ?? "dotnet";
        var appHost = Path.Combine(folder, "ProcessOptimizer");
        var dll = Path.Combine(folder, "ProcessOptimizer.dll");
        var info = Path.GetFileNameWithoutExtension(host) == "dotnet" ? new ProcessStartInfo(host) { ArgumentList = { dll } }
            : File.Exists(appHost) ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        info.ArgumentList.Add(SolverWorker.Command);
        info.ArgumentList.Add(socketPath);
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.UseShellExecute = false;
        info.Environment[WorkerAllocator.Variable] = WorkerAllocator.Tunables(Environment.GetEnvironmentVariable(WorkerAllocator.Variable));
        info.Environment.TryAdd(WorkerThreadPool.Variable, WorkerThreadPool.SpinLimit);
        return info;
    }
}
