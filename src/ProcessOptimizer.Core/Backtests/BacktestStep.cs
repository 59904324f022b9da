using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Core.Backtests;

/// <summary>One step of a backtest for one strategy version: the cycle as the loop would have run it at <see cref="Time"/>.</summary>
public sealed record BacktestStep
{
    public required string Version { get; init; }

    /// <summary>The step's time: the window holds the data at or before it.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The newest row of the window, when there was one.</summary>
    public DateTimeOffset? DataTimestamp { get; init; }

    public required RunOutcome Outcome { get; init; }

    /// <summary>The strategy's cost at the recommendation (at the current values when every value is held).</summary>
    public double? Cost { get; init; }

    public double? CostAtCurrent { get; init; }

    /// <summary>
    /// The strategy's cost, through its own model, at what the operators did: the decision variables' values at the
    /// next step. A model-based estimate, null when the next step gives no values.
    /// </summary>
    public double? CostAtOperators { get; init; }

    public string? Message { get; init; }

    /// <summary>Each decision variable at the step: current and recommended.</summary>
    public IReadOnlyDictionary<string, StepValue> Decisions { get; init; } = new Dictionary<string, StepValue>();

    /// <summary>Each predicted variable: at the current values (the model's prediction for what the data shows) and at the recommendation.</summary>
    public IReadOnlyDictionary<string, StepValue> Predictions { get; init; } = new Dictionary<string, StepValue>();

    /// <summary>Per predicted variable, the measured value of its tag the model's horizon after <see cref="DataTimestamp"/>.</summary>
    public IReadOnlyDictionary<string, double> Measured { get; init; } = new Dictionary<string, double>();

    /// <summary>Per decision variable, its value at the next step: where the operators actually took it.</summary>
    public IReadOnlyDictionary<string, double> OperatorsNext { get; init; } = new Dictionary<string, double>();
}
