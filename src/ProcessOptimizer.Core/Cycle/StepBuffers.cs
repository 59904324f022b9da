namespace ProcessOptimizer.Core.Cycle;

/// <summary>Scratch arrays of one step in one workspace, allocated once so that evaluation allocates nothing.</summary>
internal sealed class StepBuffers(int arguments, int outputs, int secondLength)
{
    public double[] Arguments { get; } = new double[arguments];

    /// <summary>Formula gradient, or the model Jacobian (outputs × arguments).</summary>
    public double[] Derivatives { get; } = new double[Math.Max(arguments * outputs, arguments)];

    /// <summary>Formula packed Hessian, or the model's second derivatives (outputs × arguments × arguments).</summary>
    public double[] SecondDerivatives { get; } = new double[secondLength];

    public double[] Outputs { get; } = new double[outputs];

    /// <summary>Per argument, a value fixed for the whole cycle (smoothed history), or NaN.</summary>
    public double[] Fixed { get; } = new double[arguments];
}
