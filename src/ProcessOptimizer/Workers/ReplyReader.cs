using System.Diagnostics;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Reads one worker's answers on a thread of its own, which sleeps in a blocking read between them, and completes
/// the waiting request on that thread. An answer then wakes one thread; an asynchronous read woke the socket
/// engine's thread and then a thread-pool thread, and the pool's threads spun after each hand-off.
/// </summary>
/// <remarks>
/// The request goes on (storing the run, writing the response) on this thread until it next waits. That delays no
/// other answer: the worker's next answer follows its next request, which is sent only once this request has let
/// go of the worker. The thread ends when the channel fails or closes; every wait then ends at once the same way.
/// </remarks>
internal sealed class ReplyReader
{
    private readonly Stream _channel;
    private TaskCompletionSource<SolveReply?>? _waiting;

    // Told when the awaited answer's solve begins; set with the wait it belongs to, before that wait is published.
    private TaskCompletionSource<long>? _started;

    // Set once, before the last waiter is completed: the failure, or Closed when the worker closed the channel.
    private volatile Exception? _ended;

    private static readonly Exception Closed = new EndOfStreamException("the worker closed its channel");

    public ReplyReader(Stream channel, int pid)
    {
        // Read only here, on this object's thread; the service writes its requests to the channel itself.
        _channel = WorkerProtocol.Reader(channel);
        new Thread(Run) { IsBackground = true, Name = $"solver worker {pid} answers" }.Start();
    }

    /// <summary>Waits for the next answer; call it before the message that it answers is written.</summary>
    /// <param name="started">
    /// Completed, on the reader's thread, with the <see cref="Stopwatch"/> timestamp at which the solve began, when
    /// the worker tells of it (<see cref="SolveStarted"/>) before the answer.
    /// </param>
    /// <returns>The answer, or null when the worker closed the channel.</returns>
    /// <exception cref="InvalidOperationException">Another answer is already awaited.</exception>
    public Task<SolveReply?> NextAsync(TaskCompletionSource<long>? started = null)
    {
        // Completed on the reader's thread, where the request goes on: no hand-off to another thread.
        var next = new TaskCompletionSource<SolveReply?>();
        Volatile.Write(ref _started, started);
        if (Interlocked.CompareExchange(ref _waiting, next, null) is not null)
        {
            throw new InvalidOperationException("an answer of this worker is already awaited");
        }

        // Ended before this wait was seen: whichever of the two takes the wait back completes it.
        if (_ended is { } ended && Interlocked.CompareExchange(ref _waiting, null, next) == next)
        {
            End(next, ended);
        }

        return next.Task;
    }

    private void Run()
    {
        while (true)
        {
            IWorkerAnswer? message;
            try
            {
                message = WorkerProtocol.Read<IWorkerAnswer>(_channel);
            }
            catch (Exception ex)
            {
                // The thread's boundary: any failure of the channel goes to the request that waits on it.
                Stop(ex);
                return;
            }

            if (message is null)
            {
                Stop(Closed);
                return;
            }

            if (message is SolveStarted started)
            {
                // The solve has begun, so long ago: the answer is still awaited.
                if (Volatile.Read(ref _waiting) is null)
                {
                    Stop(new InvalidDataException("the worker began a solve that no request waits for"));
                    return;
                }

                Volatile.Read(ref _started)?.TrySetResult(Stopwatch.GetTimestamp() - (long)(TimeSpan.FromTicks(started.RanTicks).TotalSeconds * Stopwatch.Frequency));
                continue;
            }

            var reply = (SolveReply)message;

            if (Interlocked.Exchange(ref _waiting, null) is not { } waiting)
            {
                Stop(new InvalidDataException("the worker sent an answer that no request waits for"));
                return;
            }

            waiting.SetResult(reply);
        }
    }

    private void Stop(Exception ended)
    {
        _ended = ended;
        if (Interlocked.Exchange(ref _waiting, null) is { } waiting)
        {
            End(waiting, ended);
        }
    }

    private static void End(TaskCompletionSource<SolveReply?> waiting, Exception ended)
    {
        if (ReferenceEquals(ended, Closed))
        {
            waiting.SetResult(null);
        }
        else
        {
            waiting.SetException(ended);
        }
    }
}
