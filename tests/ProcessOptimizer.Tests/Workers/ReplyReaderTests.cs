using System.IO.Pipes;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: a worker's answers are read on a thread of their own and handed to the request that waits for each.</summary>
public sealed class ReplyReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NextAsync_AnswersInTurn_EachWaitGetsItsOwn()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);

        var first = replies.NextAsync();
        Assert.False(first.IsCompleted);
        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveReply(WorkerProtocol.Version, null, "first", null));
        Assert.Equal("first", (await first.WaitAsync(Wait))?.LoadError);

        var second = replies.NextAsync();
        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveReply(WorkerProtocol.Version, null, null, ["models/a.onnx"]));
        Assert.Equal(["models/a.onnx"], (await second.WaitAsync(Wait))?.Missing);
    }

    [Fact]
    public async Task NextAsync_SolveStartedThenAnswer_StartTimeTold_WaitGetsTheAnswerOnly()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);
        var started = new TaskCompletionSource<long>();
        var before = System.Diagnostics.Stopwatch.GetTimestamp();

        var answer = replies.NextAsync(started);
        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveStarted(WorkerProtocol.Version, TimeSpan.FromSeconds(5).Ticks));
        var at = await started.Task.WaitAsync(Wait);
        Assert.False(answer.IsCompleted);
        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveReply(WorkerProtocol.Version, null, "solved", null));

        Assert.Equal("solved", (await answer.WaitAsync(Wait))?.LoadError);
        // Told 5 s after the solve began: the solve began 5 s before the word was read.
        var ran = 5 * System.Diagnostics.Stopwatch.Frequency;
        Assert.InRange(at, before - ran, System.Diagnostics.Stopwatch.GetTimestamp() - ran);
    }

    [Fact]
    public async Task NextAsync_SolveStartedThatNoRequestWaitsFor_FailsTheNextWait()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);

        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveStarted(WorkerProtocol.Version, 0));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => replies.NextAsync().WaitAsync(Wait));
        Assert.Contains("no request waits for", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextAsync_WorkerClosesTheChannel_NullNowAndForEveryLaterWait()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);
        var waiting = replies.NextAsync();

        worker.Dispose();

        Assert.Null(await waiting.WaitAsync(Wait));
        Assert.Null(await replies.NextAsync().WaitAsync(Wait));
    }

    [Fact]
    public async Task NextAsync_FrameCutShort_FailsTheWait()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);
        var waiting = replies.NextAsync();

        using (var whole = new MemoryStream())
        {
            WorkerProtocol.Write<IWorkerAnswer>(whole, new SolveReply(WorkerProtocol.Version, null, "cut", null));
            worker.Write(whole.ToArray().AsSpan(0, (int)whole.Length - 1));
        }

        worker.Dispose();

        await Assert.ThrowsAsync<EndOfStreamException>(() => waiting.WaitAsync(Wait));
        await Assert.ThrowsAsync<EndOfStreamException>(() => replies.NextAsync().WaitAsync(Wait));
    }

    [Fact]
    public async Task NextAsync_AnswerThatNoRequestWaitsFor_FailsTheNextWait()
    {
        using var pipes = Channel();
        var (service, worker) = pipes;
        var replies = new ReplyReader(service, 0);

        WorkerProtocol.Write<IWorkerAnswer>(worker, new SolveReply(WorkerProtocol.Version, null, "unasked", null));

        // The reader is given a moment to take it: a wait begun before would simply receive it.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => replies.NextAsync().WaitAsync(Wait));
        Assert.Contains("no request waits for", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NextAsync_TwoWaitsAtOnce_Refused()
    {
        using var pipes = Channel();
        var (service, _) = pipes;
        var replies = new ReplyReader(service, 0);
        _ = replies.NextAsync();

        Assert.Throws<InvalidOperationException>(Again);

        void Again() => replies.NextAsync();
    }

    // An anonymous pipe: blocking reads and writes, as on the worker's socket.
    private static Pipes Channel()
    {
        var toService = new AnonymousPipeServerStream(PipeDirection.In);
        var fromWorker = new AnonymousPipeClientStream(PipeDirection.Out, toService.ClientSafePipeHandle);
        return new Pipes(toService, fromWorker);
    }

    private sealed record Pipes(Stream Service, Stream Worker) : IDisposable
    {
        public void Dispose()
        {
            Worker.Dispose();
            Service.Dispose();
        }
    }
}
