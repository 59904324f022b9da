using System.Globalization;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Benchmarks;

/// <summary>One sweep's figures, cycle by cycle, for <see cref="CycleReport"/>.</summary>
internal sealed class SweepFigures
{
    public static readonly (string Name, Func<SweepFigures, List<double>> Pick, string Format)[] Rows =
    [
        ("whole cycle (window read and cycle), ms", s => s.Times, "F2"),
        ("CPU time of the process per cycle, ms", s => s.Cpu, "F2"),
        ("inside IPOPT, ms", s => s.InIpopt, "F2"),
        ("our callbacks, ms", s => s.InCallbacks, "F2"),
        ("iterations", s => s.Iterations, "F0"),
        ("solves (kink pieces not ruled out; on an infeasible minute the pieces and up to 6 starts without the cost, or after an infeasible minute the starts first)", s => s.Solves, "F0"),
    ];

    public List<double> Times { get; } = [];

    public List<double> Cpu { get; } = [];

    public List<double> InIpopt { get; } = [];

    public List<double> InCallbacks { get; } = [];

    public List<double> Iterations { get; } = [];

    public List<double> Solves { get; } = [];

    public int Feasible { get; private set; }

    public void Add((CycleResult Result, double Milliseconds, double CpuMilliseconds) cycle)
    {
        var result = cycle.Result;
        Times.Add(cycle.Milliseconds);
        Cpu.Add(cycle.CpuMilliseconds);
        Iterations.Add(result.Solver.Sum(s => s.Iterations));
        InIpopt.Add(result.Solver.Sum(s => s.Seconds - s.CallbackSeconds) * 1000);
        InCallbacks.Add(result.Solver.Sum(s => s.CallbackSeconds) * 1000);
        Solves.Add(result.Solver.Sum(s => s.Solves));
        Feasible += result.Status == CycleStatus.Success ? 1 : 0;
    }

    public static string Text(List<double> values, string format)
    {
        var (median, p10, p90) = Spread.Of([.. values]);
        return $"{median.ToString(format, CultureInfo.InvariantCulture)} ({p10.ToString(format, CultureInfo.InvariantCulture)}–{p90.ToString(format, CultureInfo.InvariantCulture)})";
    }
}
