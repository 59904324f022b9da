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
public sealed partial class RunRecorder(IRunStore runs, RunOutbox outbox, ServiceInstance instance, ILogger<RunRecorder> logger)
{
    private readonly SemaphoreSlim _replay = new(1, 1);

    public int Pending => outbox.Pending;

    /// <exception cref="IOException">Neither the database nor the outbox could keep the run.</exception>
    public async Task<RunReceipt> RecordAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run = run with { Key = run.Key ?? Guid.NewGuid().ToString("n"), Node = run.Node ?? instance.Id };
        if (outbox.Pending == 0 || await ReplayAsync(cancellationToken, waitForOthers: false).ConfigureAwait(false) == 0)
        {
            try
            {
                var saved = await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);
                return new RunReceipt(saved.Id, false, saved.Duplicate);
            }
            catch (Exception ex) when (ex is DatabaseException or OperationCanceledException)
            {
                // Cancelled or failed, the run may or may not be stored: its key makes the replay store it once.
                LogDeferred(logger, run.Key!, ex.Message);
            }
        }

        outbox.Add(run);
        return new RunReceipt(null, true);
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

                foreach (var (handle, run) in batch)
                {
                    try
                    {
                        var saved = await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);
                        outbox.Remove(handle);
                        LogReplayed(logger, run.Key!, saved.Id);
                    }
                    catch (DatabaseException ex)
                    {
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

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Run {Key} could not be stored now and waits in the outbox: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Run {Key} from the outbox is stored as run {Id}")]
    private static partial void LogReplayed(ILogger logger, string key, long id);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "{Pending} runs still wait in the outbox: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, int pending, string reason);
}
