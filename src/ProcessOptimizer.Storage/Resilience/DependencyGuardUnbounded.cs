using Polly.CircuitBreaker;

namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// Calls whose length grows with their input (a bulk load): no timeout of their own and no retry (their input is a
/// stream that cannot be read again), yet a dependency that stops answering ends them as it ends every other call.
/// </summary>
public sealed partial class DependencyGuard
{
    // When a probe last found the dependency answering, as a timestamp of the clock; 0 before one did.
    private long _probeAnswered;

    /// <summary>
    /// Runs <paramref name="call"/> once, without the per-attempt timeout, while the background probe goes on beside it:
    /// the call is given up as soon as the probe finds the dependency not answering (its wait past the bar for a hang,
    /// or its own timeout), as every call in flight then is. Refused at once while the circuit is open.
    /// </summary>
    /// <param name="fail">Builds the subsystem's exception from a message and the cause, for the guard's own failures.</param>
    /// <param name="write">As for <see cref="ExecuteAsync{T}(Func{CancellationToken, Task{T}}, Func{string, Exception, Exception}, CancellationToken, bool)"/>.</param>
    /// <remarks>The dependency not answering, or the open circuit, becomes <paramref name="fail"/>'s exception; the call's own failures pass unchanged.</remarks>
    public async Task<T> ExecuteUnboundedAsync<T>(Func<CancellationToken, Task<T>> call, Func<string, Exception, Exception> fail, CancellationToken cancellationToken, bool write = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(fail);
        if (IsCircuitOpen)
        {
            var skipped = $"{Name} is skipped for now ({State.LastError}); it is probed in the background";
            throw fail(skipped, new BrokenCircuitException(skipped));
        }

        var isolated = Volatile.Read(ref _inFlight).Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, isolated);
        var work = DriverCall.RunAsync(static (c, ct) => new ValueTask<T>(c(ct)), call, linked.Token).AsTask();

        // A probe starts only when something asks for one (health, the service's monitor): the bulk load may be the
        // process's only call (the CLI's import), so it asks, as often as the probe judges a hang.
        //
        // The probe's judgement leaves out a wait that this process's own lateness explains, so a process starved of
        // CPU may judge no hang for as long as it stays starved, and a call with no timeout of its own waited on (once,
        // at a load of 50 on 2 cores, over a minute on a stopped server). So, however late this process runs, a
        // dependency that has answered no probe for a whole call timeout is taken for down, as a call that waited that
        // long would be; a pause of this process itself (this loop coming back late) starts the count again.
        var heard = _clock.GetTimestamp();
        var looked = heard;
        _probe?.NotAnswering();
        while (await Task.WhenAny(work, Task.Delay(HangCheck, _clock, CancellationToken.None)).ConfigureAwait(false) != work)
        {
            if (_probe is null || linked.IsCancellationRequested)
            {
                continue;
            }

            _probe.NotAnswering();
            heard = _clock.GetElapsedTime(looked) > HangCheck + PauseTolerance ? _clock.GetTimestamp() : Math.Max(heard, Interlocked.Read(ref _probeAnswered));
            looked = _clock.GetTimestamp();
            if (_clock.GetElapsedTime(heard) > Options.Timeout + PauseTolerance)
            {
                Record(TimedOut, write);
                Isolate(TimedOut);
                await linked.CancelAsync().ConfigureAwait(false);
            }
        }

        try
        {
            var result = await work.ConfigureAwait(false);
            Record(null, write);
            return result;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw fail(isolated.IsCancellationRequested ? _isolatedBecause ?? TimedOut : TimedOut, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Record(_isTransient(ex) ? ex.Message : null, write);
            throw;
        }
    }
}
