using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>Issue 13: /health tells the truth about the solver.</summary>
public class SolverHealthTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Report_SolverLibraryMissing_IsUnhealthyNamingItEvenAfterSuccesses()
    {
        var health = new SolverHealth(_clock, new IpoptLibrary("libipopt-absent.so.1"));
        var solve = health.Started(5);
        health.Finished(solve, new CycleResult { Status = CycleStatus.Success });

        var (status, reason, _) = health.Report();

        Assert.Equal("unhealthy", status);
        Assert.Contains("libipopt-absent.so.1", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_SolvePastItsDeadline_IsUnhealthyWithTheReason()
    {
        var health = new SolverHealth(_clock);
        var solve = health.Started(maxSeconds: 2);
        _clock.Advance(TimeSpan.FromSeconds(8));
        var stuck = health.Report();

        health.Finished(solve, new CycleResult { Status = CycleStatus.NotConverged });

        Assert.Equal("unhealthy", stuck.Status);
        Assert.Equal("a solve has run 8 s, past its deadline of 2 s", stuck.Reason);
        Assert.Equal("healthy", health.Report().Status);
    }

    [Fact]
    public void Report_StuckSolveWhileAnotherStartsAndFinishes_StaysUnhealthy()
    {
        // With solver workers, solves overlap: a quick one on another worker must not hide the stuck one.
        var health = new SolverHealth(_clock);
        var stuck = health.Started(maxSeconds: 1);
        _clock.Advance(TimeSpan.FromSeconds(4));
        health.Finished(health.Started(maxSeconds: 10), new CycleResult { Status = CycleStatus.Success });
        _clock.Advance(TimeSpan.FromSeconds(3));
        var report = health.Report();

        health.Finished(stuck, new CycleResult { Status = CycleStatus.NotConverged });

        Assert.Equal("unhealthy", report.Status);
        Assert.Equal("a solve has run 7 s, past its deadline of 1 s", report.Reason);
        Assert.Equal("healthy", health.Report().Status);
    }

    [Fact]
    public void Report_SolveWithinItsDeadline_IsHealthy()
    {
        var health = new SolverHealth(_clock);
        _ = health.Started(maxSeconds: 2);
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("healthy", health.Report().Status);
    }

    [Fact]
    public void Report_RecentSolverFailures_AreDegradedUntilTheyLeaveTheWindow()
    {
        var health = new SolverHealth(_clock);
        var failed = new CycleResult { Status = CycleStatus.SolverFailed };
        var formula = new CycleResult { Status = CycleStatus.Error, ErrorType = CycleFailure.Formula, Error = "skill 'f': division by zero" };
        var badData = new CycleResult { Status = CycleStatus.Error, ErrorType = CycleFailure.BadData, Error = "x is NaN" };

        foreach (var result in new[] { failed, badData, failed, badData })
        {
            health.Finished(health.Started(2), result);
        }

        var two = health.Report();
        health.Finished(health.Started(2), formula);
        var three = health.Report();
        for (var i = 0; i < SolverHealth.Window; i++)
        {
            health.Finished(health.Started(2), new CycleResult { Status = CycleStatus.Success });
        }

        // Bad data is the data's problem, not the solver's.
        Assert.Equal("healthy", two.Status);
        Assert.Equal("degraded", three.Status);
        Assert.Equal("3 of the last 5 solves failed; the latest: skill 'f': division by zero", three.Reason);
        Assert.Equal("healthy", health.Report().Status);
    }
}
