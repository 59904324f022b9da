using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Resilience;

/// <summary>
/// Issue 14: health's background probe must report a hung dependency within a second, and must not report a
/// healthy one whose answer waited for the service itself (a CPU load many times the cores made health flap).
/// The clock is fake and the thread pool's lateness is played by holding the echo back: nothing here is timed.
/// </summary>
public sealed class DependencyProbeTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly TaskCompletionSource _never = new();
    private readonly List<Action> _held = [];

    [Fact]
    public void NotAnswering_HangWhileTheServiceRunsOnTime_IsReportedAfterHalfASecond()
    {
        var probe = Probe(holdEchoes: false);

        Assert.Null(probe.NotAnswering());
        _clock.Advance(TimeSpan.FromMilliseconds(450));
        Assert.Null(probe.NotAnswering());
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(550), probe.NotAnswering());
    }

    [Fact]
    public void NotAnswering_TheServiceItselfLateBySimilarAmount_BlamesNotTheDependency()
    {
        var probe = Probe(holdEchoes: true);
        Assert.Null(probe.NotAnswering());

        // The pool has not run the echo queued with the probe for 0.6 s: the probe's answer may be waiting unread.
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Null(probe.NotAnswering());

        // The pool catches up; the probe has waited 0.9 s, of which the service's own lateness explains 2 x 0.6 s.
        RunHeld();
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Null(probe.NotAnswering());
    }

    [Fact]
    public void NotAnswering_HangThatOutlastsTheServicesLateness_IsReportedOnceItExceedsWhatTheLatenessExplains()
    {
        var probe = Probe(holdEchoes: true);
        Assert.Null(probe.NotAnswering());
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        RunHeld();

        // 0.2 s of the service's own lateness explains 0.4 s of the wait: 0.5 s more is a hang.
        _clock.Advance(TimeSpan.FromMilliseconds(650));
        Assert.Null(probe.NotAnswering());
        RunHeld();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(950), probe.NotAnswering());
    }

    [Fact]
    public void SchedulingLag_WorstWait_CountsTheEchoStillWaitingAndIsForgottenAtReset()
    {
        var lag = new SchedulingLag(_clock, _held.Add);
        lag.Echo();
        _clock.Advance(TimeSpan.FromMilliseconds(800));
        Assert.Equal(TimeSpan.FromMilliseconds(800), lag.Worst);
        RunHeld();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(800), lag.Worst);

        // A new probe's window: what the last one saw no longer counts, the echo now waiting does.
        lag.Reset();
        lag.Echo();
        lag.Echo();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), lag.Worst);
        Assert.Single(_held);
    }

    private DependencyProbe Probe(bool holdEchoes) => new(
        _ => _never.Task,
        _clock,
        _ => { },
        new SchedulingLag(_clock, holdEchoes ? _held.Add : work => work()));

    private void RunHeld()
    {
        var held = _held.ToList();
        _held.Clear();
        held.ForEach(work => work());
    }
}
