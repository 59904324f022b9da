using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The latest window's cycles for <see cref="CycleReport"/>, each split into the window read, IPOPT, our callbacks and the rest.</summary>
internal sealed class LatestFigures
{
    private readonly List<double> _read = [], _solve = [], _total = [], _inIpopt = [], _inCallbacks = [], _outside = [];

    public List<double> Allocated { get; } = [];

    public void Add(CycleResult result, long started, long afterRead, long allocatedBytes)
    {
        var (seconds, callbacks) = (result.Solver.Sum(s => s.Seconds), result.Solver.Sum(s => s.CallbackSeconds));
        Allocated.Add(allocatedBytes / 1024.0);
        _inIpopt.Add((seconds - callbacks) * 1000);
        _inCallbacks.Add(callbacks * 1000);
        _outside.Add(Stopwatch.GetElapsedTime(afterRead).TotalMilliseconds - (seconds * 1000));
        _read.Add(Stopwatch.GetElapsedTime(started, afterRead).TotalMilliseconds);
        _solve.Add(Stopwatch.GetElapsedTime(afterRead).TotalMilliseconds);
        _total.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Print(string title)
    {
        Console.WriteLine($"| {title} | median ms | p10–p90 ms |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var (name, times) in new[]
        {
            ("window read (SQLite)", _read), ("solve", _solve), ("  of which inside IPOPT", _inIpopt), ("  of which our callbacks", _inCallbacks),
            ("  of which the rest (features, branch fixing, polish, result)", _outside), ("whole cycle", _total),
        })
        {
            var (median, p10, p90) = Spread.Of(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F2} | {p10:F2}–{p90:F2} |"));
        }
    }
}
