using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// a ∘ b elementwise with broadcasting of one-element operands, either of which may be a constant (no
/// derivatives). Second order: f_a·∂²a + f_b·∂²b + f_aa·∂a∂a + f_ab·(∂a∂b + ∂b∂a) + f_bb·∂b∂b.
/// </summary>
internal sealed class BinaryStep(BinaryOperator op, PlanSlot left, PlanSlot right, PlanSlot output) : PlanStep(output)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Span<double> buffer, int inputs, int width)
    {
        // Each element's first derivatives, copied once: the second-order loop reads every pair of them.
        Span<double> ja = stackalloc double[inputs];
        Span<double> jb = stackalloc double[inputs];
        var used = Output.IsConstant ? 1 : width;
        for (var i = 0; i < Output.Length; i++)
        {
            int a = left.At(i), b = right.At(i);
            double x = buffer[a], y = buffer[b];
            var target = buffer.Slice(Output.Offset + (i * Output.Stride), used);
            var (value, da, db, aa, ab, bb) = Evaluate(x, y);
            target[0] = value;
            if (used == 1)
            {
                continue;
            }

            da = left.IsConstant ? 0 : da;
            db = right.IsConstant ? 0 : db;
            for (var k = 0; k < inputs; k++)
            {
                ja[k] = left.IsConstant ? 0 : buffer[a + 1 + k];
                jb[k] = right.IsConstant ? 0 : buffer[b + 1 + k];
                target[1 + k] = (da * ja[k]) + (db * jb[k]);
            }

            for (int r = 0, p = 1 + inputs; p < used; r++)
            {
                for (var c = 0; c <= r; c++, p++)
                {
                    var second = (da * (left.IsConstant ? 0 : buffer[a + p])) + (db * (right.IsConstant ? 0 : buffer[b + p]));
                    target[p] = second + (aa * ja[r] * ja[c]) + (ab * ((ja[r] * jb[c]) + (jb[r] * ja[c]))) + (bb * jb[r] * jb[c]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Bound(Span<double> forms, ReadOnlySpan<double> half)
    {
        var n = half.Length;
        Span<double> a = stackalloc double[n];
        Span<double> b = stackalloc double[n];
        for (var i = 0; i < Output.Length; i++)
        {
            var (ac, bc) = (forms[left.At(i)], forms[right.At(i)]);
            var (ae, be) = (Error(forms, left, i, n), Error(forms, right, i, n));
            for (var k = 0; k < n; k++)
            {
                (a[k], b[k]) = (Coefficient(forms, left, i, k), Coefficient(forms, right, i, k));
            }

            var at = Output.At(i);
            if (op == BinaryOperator.Div)
            {
                // a / b is a times 1/b, whose form comes as an activation's does: 1/b's slope −1/b² moves
                // monotonically on either side of 0 and is unbounded across it.
                var reach = Radius(forms, right, i, half);
                var (low, high) = (bc - reach, bc + reach);
                var slope = -1 / (bc * bc);
                var spread = low <= 0 && 0 <= high ? double.PositiveInfinity
                    : Math.Max(Math.Abs((-1 / (low * low)) - slope), Math.Abs((-1 / (high * high)) - slope));
                for (var k = 0; k < n; k++)
                {
                    b[k] *= slope;
                }

                (bc, be) = (1 / bc, (Math.Abs(slope) * be) + (spread * reach));
            }

            forms[at] = op switch { BinaryOperator.Add => ac + bc, BinaryOperator.Sub => ac - bc, _ => ac * bc };
            if (Output.IsConstant)
            {
                continue;
            }

            for (var k = 0; k < n; k++)
            {
                forms[at + 1 + k] = op switch { BinaryOperator.Add => a[k] + b[k], BinaryOperator.Sub => a[k] - b[k], _ => (bc * a[k]) + (ac * b[k]) };
            }

            // (ac + δa)(bc + δb) = ac·bc + ac·δb + bc·δa + δa·δb, and |δ| is at most the reach.
            forms[at + 1 + n] = op is BinaryOperator.Add or BinaryOperator.Sub ? ae + be
                : (Math.Abs(ac) * be) + (Math.Abs(bc) * ae) + (Reach(ae, a, half) * Reach(be, b, half));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Reach(double error, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> half)
    {
        for (var k = 0; k < half.Length; k++)
        {
            error += Math.Abs(coefficients[k]) * half[k];
        }

        return error;
    }

    // The value, both first partials, and the three second partials (∂²/∂a², ∂²/∂a∂b, ∂²/∂b²).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Value, double Da, double Db, double Aa, double Ab, double Bb) Evaluate(double a, double b) => op switch
    {
        BinaryOperator.Add => (a + b, 1, 1, 0, 0, 0),
        BinaryOperator.Sub => (a - b, 1, -1, 0, 0, 0),
        BinaryOperator.Mul => (a * b, b, a, 0, 1, 0),
        _ => (a / b, 1 / b, -a / (b * b), 0, -1 / (b * b), 2 * a / (b * b * b)),
    };
}
