using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>A version that goes live reaches the idle workers at once, and a busy one as soon as it is free.</summary>
public sealed partial class WorkerPool
{
    // Each idle worker builds the new version and solves it once (the warm-up), so that the next cycle or request
    // finds it built and warm, where it paid for both against its deadline. A worker busy at the switch warms up as
    // soon as its request is answered: it got the version only with its next request, which paid for the build and a
    // cold solve, and with one worker under load that was every switch. A starting one builds the live versions
    // anyway. A warm-up must never make a request or a loop cycle wait longer than it would have without it, which
    // with one worker counted against its bound for a free worker and answered 503 once a slow build and the solve
    // after it outlasted that bound: no idle worker is taken while one waits (it is theirs), and the solve gives way
    // to any that waits once the build is done (see WorkerWarmUp.RunOnSwitchAsync). Loop cycles keep their place:
    // what waits behind a warm-up is let in by the queue, loop cycles first, as behind a request.
    private void OnSwitched(DeployedStrategy deployed) => _ = Task.Run(() => PrepareAsync(holdStarting: true));

    // Whether the worker, held by the caller, lacks a live version that a warm-up would build. Asked after every
    // answer: a loop, where a query allocated on each.
    private bool Behind(WorkerProcess worker)
    {
        foreach (var strategy in _strategies?.All ?? [])
        {
            if (strategy.Repository.Current is { } deployed && worker.Lacks(deployed))
            {
                return true;
            }
        }

        return false;
    }

    // holdStarting: whether a slot whose worker is starting is held too, to build the new version once it has
    // started, as on a switch (it may have read the live versions before). After an answer it is not: holding it
    // would count as a request waiting for it, and its start would leave out its warm-up solve.
    private async Task PrepareAsync(bool holdStarting)
    {
        var held = new List<Task<bool>>();
        // Workers left alone go back once the others are taken, so that each slot is looked at once; requests that
        // come meanwhile wait for that loop alone.
        var skipped = new List<int>();
        for (var i = 0; i < _slots.Length && !_stopping.IsCancellationRequested && Waiting == 0 && _free.Wait(0); i++)
        {
            var index = Take();
            var slot = Volatile.Read(ref _slots[index]);
            if (slot is { IsCompletedSuccessfully: true } ready ? !ready.Result.HasExited && !Behind(ready.Result) : !holdStarting)
            {
                skipped.Add(index);
                continue;
            }

            var work = HoldAsync(index, null, isRequest: false, async worker =>
            {
                foreach (var deployed in (_strategies?.Live() ?? []).Where(worker.Lacks).ToList())
                {
                    if (Waiting > 0)
                    {
                        break;
                    }

                    await _warmUp.RunOnSwitchAsync(worker, deployed, _limits, () => Waiting, _stoppingToken).ConfigureAwait(false);
                }

                return true;
            });
            _work[index] = work;
            held.Add(work);
        }

        foreach (var index in skipped)
        {
            Free(index, null);
        }

        try
        {
            await Task.WhenAll(held).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SolverWorkerException or OperationCanceledException)
        {
            // A worker lost while it built or warmed up has been replaced and logged, and its replacement builds the
            // live version when it starts; the pool's stop ends the rest.
        }
    }
}
