using System.Collections.Concurrent;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Outbox;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The one way a run is recorded, by the loop and by <c>/optimize</c>. A run the database does not take goes to
/// the durable outbox and is replayed, oldest first, once the database answers again. While runs wait, new
/// ones queue behind them, so the database receives runs in the order they were made. Each run carries a key,
/// so a replay never stores a run twice.
/// </summary>
/// <remarks>
/// Runs are committed in groups: a run that arrives while another caller is writing waits for that write to end
/// and goes into the next transaction with every other run that arrived meanwhile, so under load many answers
/// share one commit, while a run on its own is written by its caller with no hand-off. A caller is answered only
/// once its run's transaction has committed.
/// </remarks>
public sealed partial class RunRecorder(IRunStore runs, RunOutbox outbox, ServiceInstance instance, ILogger<RunRecorder> logger)
{
    // Enough to share a commit among every request a busy service has in flight, few enough to keep one short.
    private const int MaxGroup = 64;

    private readonly SemaphoreSlim _replay = new(1, 1);
    private readonly ConcurrentQueue<QueuedRun> _queued = new();
    private int _writing;

    /// <summary>Runs waiting for the database, in the outbox's folder and held in memory.</summary>
    public int Pending => outbox.Pending;

    /// <summary>The newest data time consumed by a waiting run of <paramref name="strategyName"/> (see <see cref="RunOutbox.NewestData"/>).</summary>
    public DateTimeOffset? NewestWaitingData(string strategyName) => outbox.NewestData(strategyName);

    /// <summary>Records <paramref name="run"/> in the database, or else in the outbox.</summary>
    /// <param name="hold">
    /// When the outbox's folder cannot take the run either (a full disk), hold it in memory and keep trying: the loop,
    /// whose run nobody could make again. False for an answer, which is refused instead, so that its client asks again.
    /// </param>
    /// <exception cref="OutboxException">Neither the database nor the outbox could keep the run: it is not kept.</exception>
    public async Task<RunReceipt> RecordAsync(RunRecord run, bool hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run = run with { Key = run.Key ?? Guid.NewGuid().ToString("n"), Node = run.Node ?? instance.Id };
        string reason;
        if (outbox.Pending == 0 || await ReplayAsync(cancellationToken, waitForOthers: false).ConfigureAwait(false) == 0)
        {
            try
            {
                var saved = await SaveInGroupAsync(run, cancellationToken).ConfigureAwait(false);
                return new RunReceipt(saved.Id, false, saved.Duplicate);
            }
            catch (Exception ex) when (ex is DatabaseException or OperationCanceledException)
            {
                // Cancelled or failed, the run may or may not be stored: its key makes the replay store it once.
                reason = ex.Message;
            }
        }
        else
        {
            reason = "older runs still wait";
        }

        try
        {
            if (outbox.Add(run, hold))
            {
                LogDeferred(logger, run.Key!, reason);
            }
            else
            {
                LogHeld(logger, run.Key!, reason, outbox.Fault?.Reason ?? "", outbox.Held);
            }
        }
        catch (OutboxException ex)
        {
            LogNotKept(logger, run.Key!, reason, ex.Message);
            throw;
        }

        return new RunReceipt(null, true);
    }

    private async Task<RunSave> SaveInGroupAsync(RunRecord run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = new QueuedRun(run);
        _queued.Enqueue(queued);

        // The writer waits for the writes as the others wait for theirs: until they end or it is cancelled (the
        // service stopping while the database hangs); the writes go on without it, bounded by the database's timeout.
        var writes = WriteWhileQueuedAsync();
        if (!writes.IsCompleted)
        {
            await writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // A caller that gives up leaves its run in the group: it may yet be stored, which its key allows for.
        return await queued.Saved.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Whoever finds no write in progress writes every queued run; a writer looks at the queue again after it lets go,
    // so a run queued while it finished is never left behind. Never throws: each group's failure goes to its callers.
    private async Task WriteWhileQueuedAsync()
    {
        while (!_queued.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                await WriteQueuedAsync().ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    private async Task WriteQueuedAsync()
    {
        var group = new List<QueuedRun>();
        while (true)
        {
            group.Clear();
            while (group.Count < MaxGroup && _queued.TryDequeue(out var next))
            {
                group.Add(next);
            }

            if (group.Count == 0)
            {
                return;
            }

            try
            {
                // Not any one caller's token: the group is shared, and the database's own timeout bounds it.
                var saves = await runs.SaveAllAsync([.. group.Select(q => q.Run)], CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Saved.TrySetResult(saves[i]);
                }
            }
            catch (Exception ex)
            {
                // The group's transaction failed as a whole: each of its callers gets the failure to act on.
                foreach (var queued in group)
                {
                    queued.Saved.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Stores waiting runs in order until the outbox is empty or the database fails.</summary>
    /// <returns>How many runs are still waiting.</returns>
    public Task<int> ReplayAsync(CancellationToken cancellationToken) => ReplayAsync(cancellationToken, waitForOthers: true);

    // A request does not queue behind a replay in progress: its run joins the outbox instead.
    private async Task<int> ReplayAsync(CancellationToken cancellationToken, bool waitForOthers)
    {
        if (!await _replay.WaitAsync(waitForOthers ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return outbox.Pending;
        }

        try
        {
            while (outbox.Pending > 0)
            {
                var batch = outbox.Peek(50);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var (sequence, run) in batch)
                {
                    try
                    {
                        var saved = await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);
                        outbox.Remove(sequence);
                        LogReplayed(logger, run.Key!, saved.Id);
                    }
                    catch (DatabaseException ex)
                    {
                        // A run refused for good would fail again, and every run after it would wait for ever behind it.
                        if (ex.RefusesTheData && outbox.SetAside(sequence, run))
                        {
                            LogSetAside(logger, run.Key!, ex.Message, RunOutbox.RefusedFolderName);
                            continue;
                        }

                        LogReplayFailed(logger, outbox.Pending, ex.Message);
                        return outbox.Pending;
                    }
                }
            }

            return outbox.Pending;
        }
        finally
        {
            _replay.Release();
        }
    }

    private sealed class QueuedRun(RunRecord run)
    {
        public RunRecord Run { get; } = run;

        // Its caller continues on its own thread, not on the writer's, which has the rest of the group to answer.
        public TaskCompletionSource<RunSave> Saved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Run {Key} could not be stored now and waits in the outbox: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 223, Level = LogLevel.Error, Message = "Run {Key} could not be stored now ({Reason}) and the outbox cannot take it ({Fault}): it is held in memory, {Held} runs in all, until the outbox or the database takes it")]
    private static partial void LogHeld(ILogger logger, string key, string reason, string fault, int held);

    [LoggerMessage(EventId = 224, Level = LogLevel.Error, Message = "Run {Key} is not kept: the database could not store it ({Reason}) and {Fault}")]
    private static partial void LogNotKept(ILogger logger, string key, string reason, string fault);

    [LoggerMessage(EventId = 225, Level = LogLevel.Error, Message = "Run {Key} is refused by the database for good ({Reason}): it is set aside in the outbox's {Folder} folder, whole, and the runs after it are stored")]
    private static partial void LogSetAside(ILogger logger, string key, string reason, string folder);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Run {Key} from the outbox is stored as run {Id}")]
    private static partial void LogReplayed(ILogger logger, string key, long id);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "{Pending} runs still wait in the outbox: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, int pending, string reason);
}
