using System.Globalization;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Backtests;

/// <summary><c>steps.csv</c>: <c>version,time,outcome,cost</c>, then each decision variable's recommended value (empty where the step has none).</summary>
internal sealed class StepsCsv(TextWriter writer, IReadOnlyList<string> decisions)
{
    public void WriteHeader() => writer.WriteLine(string.Join(",", ["version", "time", "outcome", "cost", .. decisions]));

    public void Write(BacktestStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var cells = new List<string> { step.Version, step.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), step.Outcome.Name(), Number(step.Cost) };
        cells.AddRange(decisions.Select(d => step.Decisions.TryGetValue(d, out var value) ? Number(value.Recommended) : ""));
        writer.WriteLine(string.Join(",", cells));
    }

    // Round-trip precision: a value read back is the value stored.
    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
