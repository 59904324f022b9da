using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Hosting;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// A fault the dependency monitor finds every 2 s (the database down, the outbox folder full) was logged every 2 s.
/// It is logged when it begins or changes, then once a minute, and its end once.
/// </summary>
public sealed class RepeatedWarningTests
{
    [Fact]
    public void IsDue_TheSameFaultEveryTwoSeconds_LogsItOnceAMinuteCountingTheRoundsBetween()
    {
        var clock = new FakeTimeProvider();
        var warning = new RepeatedWarning(clock);
        var logged = new List<(TimeSpan At, int Unlogged)>();
        for (var round = 0; round < 90; round++)
        {
            if (warning.IsDue("down", out var unlogged))
            {
                logged.Add((TimeSpan.FromSeconds(2 * round), unlogged));
            }

            clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal([(TimeSpan.Zero, 0), (TimeSpan.FromSeconds(60), 29), (TimeSpan.FromSeconds(120), 29)], logged);
    }

    [Fact]
    public void IsDue_AChangedState_IsLoggedAtOnce()
    {
        var clock = new FakeTimeProvider();
        var warning = new RepeatedWarning(clock);

        Assert.True(warning.IsDue("1 held", out _));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(warning.IsDue("1 held", out _));
        Assert.True(warning.IsDue("2 held", out var unlogged));
        Assert.Equal(0, unlogged);
        Assert.False(warning.IsDue("2 held", out _));
    }

    [Fact]
    public void End_AfterALoggedFault_IsTrueOnceAndTheNextFaultIsLoggedAtOnce()
    {
        var clock = new FakeTimeProvider();
        var warning = new RepeatedWarning(clock);

        Assert.False(warning.End());
        Assert.True(warning.IsDue("down", out _));
        Assert.True(warning.End());
        Assert.False(warning.End());
        Assert.True(warning.IsDue("down", out _));
    }
}
