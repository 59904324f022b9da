namespace ProcessOptimizer.Backtests;

/// <summary>Running sums of prediction errors: MAE, bias and R² without keeping the samples.</summary>
internal sealed class ErrorTally
{
    private double _sumError;
    private double _sumAbsError;
    private double _sumSquaredError;
    private double _meanMeasured;
    private double _spreadMeasured;

    public int Samples { get; private set; }

    public double? Mae => Samples > 0 ? _sumAbsError / Samples : null;

    public double? Bias => Samples > 0 ? _sumError / Samples : null;

    public double? R2 => Samples > 1 && _spreadMeasured > 0 ? 1 - (_sumSquaredError / _spreadMeasured) : null;

    public void Add(double predicted, double measured)
    {
        var error = predicted - measured;
        Samples++;
        _sumError += error;
        _sumAbsError += Math.Abs(error);
        _sumSquaredError += error * error;
        // Welford's update: the spread of the measurements without the cancellation of Σy² − n·ȳ².
        var delta = measured - _meanMeasured;
        _meanMeasured += delta / Samples;
        _spreadMeasured += delta * (measured - _meanMeasured);
    }
}
