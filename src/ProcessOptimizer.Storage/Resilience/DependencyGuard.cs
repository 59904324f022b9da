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
/// The clock is the wall clock, not the service's injected one: these are waits on real sockets.
/// </remarks>
public sealed class DependencyGuard
{
    /// <summary>
    /// How late an attempt may end past its timeout before the lateness is taken for a pause of this process: a
    /// running process's timer fires within milliseconds of its time, even on a loaded machine.
    /// </summary>
    public static readonly TimeSpan PauseTolerance = TimeSpan.FromSeconds(1);

    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _attempt;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly Func<Exception, bool> _isTransient;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly DependencyProbe? _probe;
    private volatile DependencyState _state = DependencyState.Unknown;

    /// <param name="name">For messages: what the dependency is.</param>
    /// <param name="isTransient">Which failures mean the dependency is down or overloaded; others (a missing object, bad SQL) are answers.</param>
    /// <param name="probe">A cheap call through this guard that <see cref="Observe"/> starts in the background; none: health reports calls only.</param>
    public DependencyGuard(string name, ResilienceOptions options, Func<Exception, bool> isTransient, Func<CancellationToken, Task>? probe = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        Options = options;
        _isTransient = isTransient;
        // A transient failure of the probe is recorded by the guard it runs through; any other means the
        // dependency cannot serve even a trivial call, which health must show too.
        _probe = probe is null ? null : new DependencyProbe(probe, _clock, ex =>
        {
            if (!isTransient(ex))
            {
                Record(ex.Message);
            }
        });
        var down = new PredicateBuilder().Handle<TimeoutRejectedException>().Handle<Exception>(isTransient);
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = down,
                // Half the calls failing over a short window opens it: long enough to hold a few timed-out calls,
                // short enough that the successes before an outage do not keep it closed for long.
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(5, 3 * options.Timeout.TotalSeconds)),
                BreakDuration = options.BreakDuration,
                StateProvider = _circuit,
                // The failure that opens the circuit is the reason health reports, even when the caller's own
                // attempt ends on the open circuit rather than on that failure.
                OnOpened = args =>
                {
                    Record(args.Outcome.Exception is TimeoutRejectedException
                        ? TimedOut
                        : args.Outcome.Exception?.Message ?? $"{Name} failed repeatedly");
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

    /// <summary>The last outcome, with whether the circuit is open now.</summary>
    public DependencyState State => _state with { IsCircuitOpen = IsCircuitOpen };

    /// <summary>
    /// For health: <see cref="State"/>, or not available when the background probe has been waiting for an answer
    /// longer than the probe's bar for a hang (<see cref="ProbeHistory"/>) beyond what this process's own lateness explains
    /// (<see cref="DependencyProbe.NotAnswering"/>). Starts a probe when none ran lately. Never waits.
    /// </summary>
    public DependencyState Observe()
    {
        var state = State;
        return state.IsAvailable && _probe?.NotAnswering() is { } waiting
            ? state with { IsAvailable = false, LastError = $"{Name} has not answered for {waiting.TotalSeconds:F1} s", Since = _clock.GetUtcNow() - waiting }
            : state;
    }

    public bool IsCircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Runs <paramref name="call"/> under the guard.</summary>
    /// <param name="fail">Builds the subsystem's own exception from a message, whether the failure is transient, and the cause.</param>
    /// <remarks>A timeout or an open circuit becomes <paramref name="fail"/>'s exception, marked transient; other failures pass unchanged.</remarks>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, Func<string, Exception, Exception> fail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(fail);
        try
        {
            var result = await _pipeline.ExecuteAsync(ct => AttemptAsync(call, ct), cancellationToken).ConfigureAwait(false);
            Record(null);
            return result;
        }
        catch (PausedCallException ex)
        {
            // Paused twice in a row: still nothing learnt about the dependency, so nothing is recorded.
            throw fail(ex.Message, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            Record(TimedOut);
            throw fail(TimedOut, ex);
        }
        catch (BrokenCircuitException ex)
        {
            // No new failure: the call was not made. The reason stays the one that opened the circuit.
            throw fail($"{Name} is skipped for now after repeated failures ({_state.LastError}); it is probed again every {Options.BreakDuration.TotalSeconds:G3} s", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Record(_isTransient(ex) ? ex.Message : null);
            throw;
        }
    }

    // One attempt under the timeout. A failure that came far later than the timeout allows means this process
    // was not running while the attempt waited: the timer that should have ended it at its time could not fire,
    // and the answer may have been waiting unread. That is no failure of the dependency.
    private async ValueTask<T> AttemptAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        try
        {
            return await _attempt.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is TimeoutRejectedException || _isTransient(ex)) && _clock.GetElapsedTime(started) is var took && took > Options.Timeout + PauseTolerance)
        {
            throw new PausedCallException($"{Name}: a call was cut short after {took.TotalSeconds:F1} s, past its {Options.Timeout.TotalSeconds:G3} s timeout, because this process was paused", ex);
        }
    }

    private void Record(string? error)
    {
        var last = _state;
        _state = error is null
            ? (last.IsAvailable ? last : DependencyState.Unknown)
            : new DependencyState(false, error, last.IsAvailable ? _clock.GetUtcNow() : last.Since, false);
    }
}
