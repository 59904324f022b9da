using System.Diagnostics;
using System.Net.Sockets;

namespace ProcessOptimizer.Workers;

/// <summary>
/// A worker's word to the service that the solve of the request in hand has begun (<see cref="SolveStarted"/>),
/// sent from a timer once the solve has run <see cref="After"/>, with how long it has run. A solve answered sooner
/// sends none: on the request's path an extra message woke the service's reader thread once more a request, which a
/// loaded machine paid for in the answer's time (about 1 ms at a load of 11 to 21 on 2 cores). The timer runs beside
/// the solve's thread, so native code that never returns from the solver is still told of.
/// </summary>
/// <remarks>
/// Writes to the channel go through one lock: the notice never follows or cuts into the answer. A notice that cannot
/// be written is dropped; the worker's main thread meets the same broken channel and ends.
/// </remarks>
internal sealed class SolveNotice(Stream channel) : IDisposable
{
    /// <summary>How long a solve runs before the service is told of it.</summary>
    public static readonly TimeSpan After = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private Timer? _timer;
    private long _began;
    private bool _answered;

    /// <summary>The solve begins now.</summary>
    public void Begin()
    {
        _began = Stopwatch.GetTimestamp();
        _timer = new Timer(static state => ((SolveNotice)state!).Send(), this, After, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Writes the request's answer; no notice is written after it.</summary>
    public void Answer(SolveReply reply)
    {
        lock (_gate)
        {
            _answered = true;
            WorkerProtocol.Write<IWorkerAnswer>(channel, reply);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Send()
    {
        lock (_gate)
        {
            if (_answered)
            {
                return;
            }

            try
            {
                WorkerProtocol.Write<IWorkerAnswer>(channel, new SolveStarted(WorkerProtocol.Version, Stopwatch.GetElapsedTime(_began).Ticks));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The channel is broken: the main thread's next write or read fails the same way and ends the worker.
            }
        }
    }
}
