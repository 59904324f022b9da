namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// How long a dependency's recent probes took to answer, net of the service's own lateness, and so how long the
/// probe in flight may wait before it is a hang: half a second, or twice the slowest answer of the last
/// <see cref="Window"/>, at most <see cref="Ceiling"/>. A hang is seen within the half second while the dependency
/// answers fast; a dependency that answers slowly but answers (a machine whose CPUs are oversubscribed) must be
/// slower than it has just been, twice over, before it is taken for down. That is the hysteresis: one late answer
/// after quick ones still raises the alarm; a run of late answers raises the bar, and the bar falls back once
/// the answers are quick again for a window.
/// </summary>
internal sealed class ProbeHistory(TimeProvider clock)
{
    /// <summary>The shortest wait that is a hang: a probe is one round trip on the same network, a few milliseconds.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(500);

    /// <summary>However slow the recent answers, a wait this long is a hang.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(2);

    /// <summary>How far back answers count.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Queue<(long At, TimeSpan Took)> _answers = new();

    /// <summary>A probe answered after <paramref name="took"/>, net of the service's own lateness.</summary>
    public void Answered(TimeSpan took)
    {
        lock (_gate)
        {
            _answers.Enqueue((clock.GetTimestamp(), took));
            Forget();
        }
    }

    /// <summary>How long the probe in flight may wait before it is a hang.</summary>
    public TimeSpan HangAfter()
    {
        lock (_gate)
        {
            Forget();
            var slowest = _answers.Count == 0 ? TimeSpan.Zero : _answers.Max(a => a.Took);
            var bar = 2 * slowest;
            return bar < Floor ? Floor : bar > Ceiling ? Ceiling : bar;
        }
    }

    private void Forget()
    {
        while (_answers.TryPeek(out var oldest) && clock.GetElapsedTime(oldest.At) > Window)
        {
            _answers.Dequeue();
        }
    }
}
