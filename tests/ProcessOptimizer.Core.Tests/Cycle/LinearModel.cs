using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>y = W x with its exact Jacobian; remembers the inputs of its first call.</summary>
internal sealed class LinearModel(double[,] weights) : IModel
{
    public int InputCount => weights.GetLength(1);

    public int OutputCount => weights.GetLength(0);

    public string DerivativeMode => "exact";

    public double[]? FirstInputs { get; private set; }

    public int Calls { get; private set; }

    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        FirstInputs ??= inputs.ToArray();
        Calls++;
        for (var o = 0; o < OutputCount; o++)
        {
            outputs[o] = 0;
            for (var i = 0; i < InputCount; i++)
            {
                outputs[o] += weights[o, i] * inputs[i];
                if (!jacobian.IsEmpty)
                {
                    jacobian[(o * InputCount) + i] = weights[o, i];
                }
            }
        }
    }
}
