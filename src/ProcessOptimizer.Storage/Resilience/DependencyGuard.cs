using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// Every call to one dependency (the object store, the database) goes through this guard: a timeout per
/// attempt, jittered retries of transient failures, and a circuit breaker that fails calls at once while the
/// dependency is known to be down, letting one call through now and then to probe it. The guard remembers
/// the last outcome, so that health is reported from it without a fresh, possibly blocking, call.
/// </summary>
/// <remarks>
/// <para>The clock is the wall clock, not the service's injected one: these are waits on real sockets.</para>
/// <para>
/// The background probe runs beside the circuit, not through it, and steers it: a probe that finds the dependency
/// down, or still waiting for a second or more (more after slow answers), isolates the circuit, so that calls
/// fail at once instead of each waiting for its own timeout; a probe that succeeds closes it, so that calls resume
/// as soon as the dependency answers rather than after the rest of a break.
/// </para>
/// <para>
/// A failed write is remembered apart from reads: a dependency that answers reads but cannot write (a full disk)
/// stays unavailable until a write succeeds, and a probe's read does not hide it.
/// </para>
/// </remarks>
public sealed partial class DependencyGuard
{
    /// <summary>
    /// How late an attempt may end past its timeout before the lateness is taken for a pause of this process: a
    /// running process's timer fires within milliseconds of its time, even on a loaded machine.
    /// </summary>
    public static readonly TimeSpan PauseTolerance = TimeSpan.FromSeconds(1);

    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _attempt;
    private static readonly ResiliencePropertyKey<object> Writes = new("process-optimizer.writes");

    // Boxed once: the context's properties hold objects, and a bool set per call was boxed per call.
    private static readonly object Writing = true;
    private static readonly object NotWriting = false;

    // How often a probe in flight is judged for a hang while it waits.
    private static readonly TimeSpan HangCheck = TimeSpan.FromMilliseconds(250);

    // Health reports a probe waiting half a second (more after slow answers); the circuit, which turns calls away,
    // waits at least twice that: a starved service that took its own lateness for a hang would otherwise fail
    // cycles that could have run.
    private static readonly TimeSpan IsolateAfter = TimeSpan.FromSeconds(1);

    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly CircuitBreakerManualControl _control = new();
    private readonly Func<Exception, bool> _isTransient;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly DependencyProbe? _probe;
    private volatile DependencyState _state = DependencyState.Unknown;
    private volatile DependencyState _writes = DependencyState.Unknown;
    private volatile string? _isolatedBecause;

    // The calls in flight when the probe isolates the circuit are cancelled then, so that they fail at once as the
    // calls after them do, instead of each waiting out its timeout (the first answer after a hang began waited 20 s).
    // Replaced, never disposed: a call may still be linking to the one it read.
    private CancellationTokenSource _inFlight = new();

    private readonly CallCancellation _calls = new();

    /// <param name="name">For messages: what the dependency is.</param>
    /// <param name="isTransient">Which failures mean the dependency is down or overloaded; others (a missing object, bad SQL) are answers.</param>
    /// <param name="probe">
    /// A cheap call straight to the dependency (not through this guard), which <see cref="Observe"/> starts in the
    /// background: the guard runs it under its timeout, beside the circuit. None: health reports calls only.
    /// </param>
    public DependencyGuard(string name, ResilienceOptions options, Func<Exception, bool> isTransient, Func<CancellationToken, Task>? probe = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        Options = options;
        _isTransient = isTransient;
        _probe = probe is null ? null : new DependencyProbe(ct => ProbeAsync(probe, ct), _clock, ex => Record(ex.Message));
        // A write that fails quickly (a full disk, a read-only database) says the dependency cannot write, not that
        // it is down: reads still work, so only a write that hangs counts against the circuit.
        var down = new PredicateBuilder().Handle<TimeoutRejectedException>().Handle<Exception>(isTransient).Build();
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // A driver's own timeout (Npgsql's connect or command timeout) is a hang too: not tried again.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => isTransient(ex) && !IsTimeout(ex)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(down(args.Outcome)
                    && !(args.Context.Properties.GetValue(Writes, NotWriting) is true && !IsTimeout(args.Outcome.Exception))),
                // Half the calls failing over a short window opens it: long enough to hold a few timed-out calls,
                // short enough that the successes before an outage do not keep it closed for long.
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(5, 3 * options.Timeout.TotalSeconds)),
                BreakDuration = options.BreakDuration,
                StateProvider = _circuit,
                ManualControl = _control,
                // The failure that opens the circuit is the reason health reports, even when the caller's own
                // attempt ends on the open circuit rather than on that failure; a circuit the probe isolated keeps
                // the probe's reason, which health shows as the wait goes on.
                OnOpened = args =>
                {
                    if (!args.IsManual)
                    {
                        Record(args.Outcome.Exception is TimeoutRejectedException
                            ? TimedOut
                            : args.Outcome.Exception?.Message ?? $"{Name} failed repeatedly");
                    }

                    return default;
                },
            })
            // An attempt that this process's own pause cut short (stopped, or frozen with its machine) said nothing
            // about the dependency: it is tried again at once, and the circuit above never sees it.
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PausedCallException>(),
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
            })
            .Build();
        _attempt = new ResiliencePipelineBuilder().AddTimeout(options.Timeout).Build();
    }

    public string Name { get; }

    public ResilienceOptions Options { get; }

    private string TimedOut => $"{Name} did not answer within {Options.Timeout.TotalSeconds:G3} s";

    /// <summary>The last outcome (a failed write until a write succeeds, else the last call's), with whether the circuit is open now.</summary>
    public DependencyState State
    {
        get
        {
            var open = IsCircuitOpen;
            var state = _state.IsAvailable ? _writes : _state;
            return state with { IsCircuitOpen = open, LastError = state.LastError ?? (open ? _isolatedBecause : null) };
        }
    }

    /// <summary>
    /// For health: <see cref="State"/>, or not available when the background probe has been waiting for an answer
    /// longer than the probe's bar for a hang (<see cref="ProbeHistory"/>) beyond what this process's own lateness explains
    /// (<see cref="DependencyProbe.NotAnswering"/>). Starts a probe when none ran lately. Never waits.
    /// </summary>
    public DependencyState Observe()
    {
        // Probes run whatever the state: they are what finds a dependency back.
        var waiting = _probe?.NotAnswering();
        var state = State;
        return state.IsAvailable && waiting is { } hung
            ? state with { IsAvailable = false, LastError = $"{Name} has not answered for {hung.TotalSeconds:F1} s", Since = _clock.GetUtcNow() - hung }
            : state;
    }

    public bool IsCircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// With the circuit open, probes the dependency and waits up to <paramref name="limit"/> for a probe to close it;
    /// true once it is closed. A scheduled cycle that starts as the dependency comes back then runs, where it failed
    /// on the circuit that the next probe (health's, or the monitor's every 2 s) closed a moment later.
    /// </summary>
    public async Task<bool> ClosesWithinAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        while (IsCircuitOpen && _clock.GetElapsedTime(started) < limit)
        {
            // Starts a probe when none is in flight and the last ended a moment ago; never waits for it.
            _probe?.NotAnswering();
            await Task.Delay(HangCheck / 2, _clock, cancellationToken).ConfigureAwait(false);
        }

        return !IsCircuitOpen;
    }

    /// <summary>Runs <paramref name="call"/> under the guard.</summary>
    /// <param name="fail">Builds the subsystem's own exception from a message, whether the failure is transient, and the cause.</param>
    /// <param name="write">The call writes: its failure is kept until a write succeeds (see the remarks on the type).</param>
    /// <remarks>A timeout or an open circuit becomes <paramref name="fail"/>'s exception, marked transient; other failures pass unchanged.</remarks>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, Func<string, Exception, Exception> fail, CancellationToken cancellationToken, bool write = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(fail);
        return ExecuteAsync(static (s, ct) => new ValueTask<T>(s.Call(ct)), static (s, message, ex) => s.Fail(message, ex), (Call: call, Fail: fail), cancellationToken, write).AsTask();
    }

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="state"/> under the guard, as the overload above does: with static
    /// delegates and the state passed through, a call that completes at once (a kept SQLite statement) allocates
    /// nothing in the guard but the driver's cancellation source.
    /// </summary>
    /// <param name="fail">Builds the subsystem's own exception from the state, a message and the cause.</param>
    /// <param name="write">As for the overload above.</param>
    public async ValueTask<T> ExecuteAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> call, Func<TState, string, Exception, Exception> fail, TState state, CancellationToken cancellationToken, bool write = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(fail);
        try
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(Writes, write ? Writing : NotWriting);
            T result;
            try
            {
                result = await _pipeline.ExecuteAsync(
                    static (ctx, s) => s.Guard.AttemptUntilIsolatedAsync(s.Call, s.State, ctx.CancellationToken),
                    context,
                    (Guard: this, Call: call, State: state)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            Record(null, write);
            return result;
        }
        catch (PausedCallException ex)
        {
            // Paused twice in a row: still nothing learnt about the dependency, so nothing is recorded.
            throw fail(state, ex.Message, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            Record(TimedOut, write);
            throw fail(state, TimedOut, ex);
        }
        catch (BrokenCircuitException ex)
        {
            // No new failure: the call was not made. The reason stays the one that opened the circuit.
            throw fail(state, $"{Name} is skipped for now ({State.LastError}); it is probed in the background and called again once it answers", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Record(_isTransient(ex) ? ex.Message : null, write);
            throw;
        }
    }

    // Health's probe, beside the circuit. While it waits it is judged as health judges it, so that a hang isolates
    // the circuit within about a second even when nobody asks for health; a judgement is skipped once this process itself
    // was seen not running (its own check came late), since the wait then says nothing about the dependency.
    private async Task ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        var attempt = AttemptAsync(static async ValueTask<bool> (Func<CancellationToken, Task> probe, CancellationToken ct) =>
        {
            await probe(ct).ConfigureAwait(false);
            return true;
        }, probe, cancellationToken).AsTask();
        var judged = _clock.GetTimestamp();
        while (await Task.WhenAny(attempt, Task.Delay(HangCheck, _clock, CancellationToken.None)).ConfigureAwait(false) != attempt)
        {
            // A check this late means this process did not run (a pause, a starved CPU): that one is skipped, and the
            // next is judged as usual. Leaving the loop instead left a hang unjudged until the probe's own timeout.
            var late = _clock.GetElapsedTime(judged) > HangCheck + PauseTolerance;
            judged = _clock.GetTimestamp();
            if (!late && _probe!.NotAnswering(IsolateAfter) is { } waiting)
            {
                Isolate($"{Name} has not answered a probe for {waiting.TotalSeconds:F1} s");
            }
        }

        try
        {
            await attempt.ConfigureAwait(false);
        }
        catch (PausedCallException)
        {
            return;
        }
        catch (TimeoutRejectedException)
        {
            Record(TimedOut);
            Isolate(TimedOut);
            return;
        }
        catch (Exception ex) when (_isTransient(ex))
        {
            Record(ex.Message);
            Isolate(ex.Message);
            return;
        }

        // (Any other failure, a refusal the dependency gives on purpose, goes on to the probe's own handler.)
        Interlocked.Exchange(ref _probeAnswered, _clock.GetTimestamp());
        Record(null);
        if (_circuit.CircuitState is not CircuitState.Closed)
        {
            _isolatedBecause = null;
            await _control.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Isolate(string reason)
    {
        if (_circuit.CircuitState is not CircuitState.Isolated)
        {
            _isolatedBecause = reason;
            _ = _control.IsolateAsync(CancellationToken.None);
            Interlocked.Exchange(ref _inFlight, new CancellationTokenSource()).Cancel();
        }
    }

    // A call's attempt, given up when the probe isolates the circuit while it waits: it ends at once as a call refused
    // by the open circuit (not counted as a failure of its own), which the caller handles as it handles the calls
    // after it. The attempt ends on the isolation as on its timeout, without waiting for the driver (DriverCall).
    private async ValueTask<T> AttemptUntilIsolatedAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> call, TState state, CancellationToken cancellationToken)
    {
        var isolated = Volatile.Read(ref _inFlight).Token;
        using var linked = _calls.Rent(cancellationToken, isolated);
        try
        {
            return await AttemptAsync(call, state, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (isolated.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BrokenCircuitException($"{Name}: a call in flight was given up when the probe found the dependency not answering");
        }
    }

    private static bool IsTimeout(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is TimeoutException or TimeoutRejectedException)
            {
                return true;
            }
        }

        return false;
    }

    // One attempt under the timeout, which ends when the timeout fires whatever the driver still does (DriverCall). A
    // failure that came far later than the timeout allows means this process was not running while the attempt
    // waited: the timer that should have ended it at its time could not fire, and the answer may have been waiting
    // unread. That is no failure of the dependency.
    private async ValueTask<T> AttemptAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> call, TState state, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        try
        {
            return await _attempt.ExecuteAsync(static (s, ct) => DriverCall.RunAsync(s.Call, s.State, ct), (Call: call, State: state), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is TimeoutRejectedException || _isTransient(ex)) && _clock.GetElapsedTime(started) is var took && took > Options.Timeout + PauseTolerance)
        {
            throw new PausedCallException($"{Name}: a call was cut short after {took.TotalSeconds:F1} s, past its {Options.Timeout.TotalSeconds:G3} s timeout, because this process was paused", ex);
        }
    }

    // A write that succeeds has read too, so it clears both; a failed write is kept apart from reads.
    private void Record(string? error, bool write = false)
    {
        if (write)
        {
            _writes = Next(_writes, error);
        }

        if (!write || error is null)
        {
            _state = Next(_state, error);
        }
    }

    private DependencyState Next(DependencyState last, string? error) => error is null
        ? (last.IsAvailable ? last : DependencyState.Unknown)
        : new DependencyState(false, error, last.IsAvailable ? _clock.GetUtcNow() : last.Since, false);
}
