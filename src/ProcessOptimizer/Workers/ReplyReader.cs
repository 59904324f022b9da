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
    /// <returns>The answer, or null when the worker closed the channel.</returns>
    /// <exception cref="InvalidOperationException">Another answer is already awaited.</exception>
    public Task<SolveReply?> NextAsync()
    {
        // Completed on the reader's thread, where the request goes on: no hand-off to another thread.
        var next = new TaskCompletionSource<SolveReply?>();
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
            SolveReply? reply;
            try
            {
                reply = WorkerProtocol.Read<SolveReply>(_channel);
            }
            catch (Exception ex)
            {
                // The thread's boundary: any failure of the channel goes to the request that waits on it.
                Stop(ex);
                return;
            }

            if (reply is null)
            {
                Stop(Closed);
                return;
            }

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
