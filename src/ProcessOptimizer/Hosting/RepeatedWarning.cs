namespace ProcessOptimizer.Hosting;

/// <summary>
/// When to log a fault that lasts (a database that is down, an outbox folder that cannot be written), which the
/// dependency monitor finds again every round of 2 s: at once when it begins or its state changes, then once per
/// <see cref="Interval"/> while it lasts, so that an outage of an hour is a few dozen lines, not 1,800.
/// </summary>
/// <param name="clock">Wall-clock time, as the monitor's rounds keep: the log is read by people, not by the plant's schedule.</param>
public sealed class RepeatedWarning(TimeProvider clock)
{
    /// <summary>How often a fault whose state has not changed is logged again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _state;
    private long _loggedAt;
    private int _unlogged;

    /// <summary>Whether the fault is to be logged now, in the state <paramref name="state"/> (what counts as a change).</summary>
    /// <param name="unlogged">How many times the fault was found, without a line, since the last line.</param>
    public bool IsDue(string state, out int unlogged)
    {
        lock (_gate)
        {
            if (_state == state && clock.GetElapsedTime(_loggedAt) < Interval)
            {
                _unlogged++;
                unlogged = 0;
                return false;
            }

            unlogged = _state == state ? _unlogged : 0;
            (_state, _loggedAt, _unlogged) = (state, clock.GetTimestamp(), 0);
            return true;
        }
    }

    /// <summary>The fault is gone: true when it was logged and its end is worth a line; the next fault is logged at once.</summary>
    public bool End()
    {
        lock (_gate)
        {
            var was = _state is not null;
            (_state, _unlogged) = (null, 0);
            return was;
        }
    }
}
