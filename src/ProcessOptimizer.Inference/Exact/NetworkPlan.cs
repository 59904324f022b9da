using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// A network compiled to a fixed sequence of steps over one buffer: every tensor has its place in the buffer,
/// constants are written there once, and weights are packed per layer. A call copies the input in, runs the steps
/// and copies the outputs out: no graph is interpreted and nothing is allocated.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: each thread has its own buffer, made from the template on its first call and kept
/// for the plan's lifetime.
/// </remarks>
internal sealed class NetworkPlan
{
    private readonly PlanStep[] _steps;
    private readonly double[] _template;
    private readonly PlanSlot _output;
    private readonly ThreadLocal<double[]> _buffers;
    private readonly ThreadLocal<double[]> _forms;

    public NetworkPlan(int inputs, int outputs, PlanStep[] steps, double[] template, PlanSlot output)
    {
        InputCount = inputs;
        OutputCount = outputs;
        _steps = steps;
        _template = template;
        _output = output;
        _buffers = new(() => (double[])_template.Clone());
        _forms = new(() => new double[_template.Length]);
    }

    public int InputCount { get; }

    public int OutputCount { get; }

    public int StepCount => _steps.Length;

    /// <summary>Second derivatives per output: the packed lower triangle, (r, c ≤ r) at r(r+1)/2 + c.</summary>
    public int Pairs => InputCount * (InputCount + 1) / 2;

    /// <summary>Entries of a computed element's block: its value, first and second derivatives.</summary>
    public int Stride => 1 + InputCount + Pairs;

    /// <summary>
    /// Outputs; unless <paramref name="jacobian"/> is empty, d(outputs)/d(inputs) (outputs × inputs, row-major); and
    /// unless <paramref name="hessian"/> is empty too, each output's packed second derivatives (outputs × <see cref="Pairs"/>).
    /// Only what is asked for is computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<double> input, Span<double> values, Span<double> jacobian, Span<double> hessian)
    {
        int n = InputCount, pairs = Pairs;
        var width = jacobian.IsEmpty ? 1 : hessian.IsEmpty ? 1 + n : Stride;
        var buffer = _buffers.Value.AsSpan();
        // The input's derivatives (identity, then zeros) are in the template and never written.
        for (var k = 0; k < n; k++)
        {
            buffer[k * Stride] = input[k];
        }

        foreach (var step in _steps)
        {
            step.Run(buffer, n, width);
        }

        for (var o = 0; o < OutputCount; o++)
        {
            var block = buffer.Slice(_output.At(o), _output.IsConstant ? 1 : width);
            values[o] = block[0];
            if (jacobian.IsEmpty)
            {
                continue;
            }

            var first = jacobian.Slice(o * n, n);
            var second = hessian.IsEmpty ? default : hessian.Slice(o * pairs, pairs);
            if (_output.IsConstant)
            {
                first.Clear();
                second.Clear();
                continue;
            }

            block.Slice(1, n).CopyTo(first);
            if (!second.IsEmpty)
            {
                block.Slice(1 + n, pairs).CopyTo(second);
            }
        }
    }

    /// <summary>
    /// Ranges that contain every output the network gives while each input lies in its range. Plain interval
    /// arithmetic loses too much through a few layers (each step would bound its inputs as if they were independent),
    /// so each element is carried as an affine form of the inputs with an error radius (<see cref="PlanStep.Bound"/>):
    /// linear steps are exact on forms, and an activation adds an error of the second order in the box's width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bound(ReadOnlySpan<Interval> input, Span<Interval> outputs)
    {
        var n = InputCount;
        Span<double> half = stackalloc double[n];
        var forms = _forms.Value.AsSpan();
        _template.CopyTo(forms);
        for (var k = 0; k < n; k++)
        {
            var (low, high) = (input[k].Low, input[k].High);
            if (!double.IsFinite(low) || !double.IsFinite(high))
            {
                outputs[..OutputCount].Fill(Interval.Whole);
                return;
            }

            var at = k * Stride;
            forms.Slice(at, n + 2).Clear();
            forms[at] = (low / 2) + (high / 2);
            forms[at + 1 + k] = 1;
            half[k] = (high / 2) - (low / 2);
        }

        foreach (var step in _steps)
        {
            step.Bound(forms, half);
        }

        for (var o = 0; o < OutputCount; o++)
        {
            var at = _output.At(o);
            var reach = 0.0;
            if (!_output.IsConstant)
            {
                reach = forms[at + 1 + n];
                for (var k = 0; k < n; k++)
                {
                    reach += Math.Abs(forms[at + 1 + k]) * half[k];
                }
            }

            // The forms are computed in rounded arithmetic, the values too: a margin of 1e-10 of the magnitudes
            // keeps a value that rounds a few units of the last place beyond an exact end (found at a Relu's
            // corner) inside, and is far below the 1e-6 by which a proof needs a range to miss a bound.
            reach += 1e-10 * (Math.Abs(forms[at]) + reach);
            outputs[o] = new Interval(forms[at] - reach, forms[at] + reach);
        }
    }
}
