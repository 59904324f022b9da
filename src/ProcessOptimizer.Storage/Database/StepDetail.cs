using System.Text.Json;
using System.Text.Json.Serialization;
using ProcessOptimizer.Core.Backtests;

namespace ProcessOptimizer.Storage.Database;

/// <summary>The variable values of a backtest step, stored as one JSON column.</summary>
internal sealed record StepDetail(
    IReadOnlyDictionary<string, StepValue> Decisions,
    IReadOnlyDictionary<string, StepValue> Predictions,
    IReadOnlyDictionary<string, double> Measured,
    IReadOnlyDictionary<string, double> OperatorsNext)
{
    // A model can predict NaN where the data is bad; the value is kept as it is, not turned into an error.
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write(BacktestStep step) =>
        JsonSerializer.Serialize(new StepDetail(step.Decisions, step.Predictions, step.Measured, step.OperatorsNext), Options);

    public static StepDetail Read(string json) =>
        JsonSerializer.Deserialize<StepDetail>(json, Options) ?? throw new JsonException("a backtest step's detail is empty");
}
