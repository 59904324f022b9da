using System.Runtime.CompilerServices;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Evaluates a feed-forward network in double precision on one input row, giving the outputs and their exact
/// Jacobian with respect to the inputs in one forward-mode pass, and on request their exact second
/// derivatives in the same pass. For plant models the input count is small, so forward mode costs little more
/// than the values. Immutable and thread-safe: each call has its own slots.
/// </summary>
internal sealed class NetworkEvaluator(int inputs, int outputs, int slotCount, int inputSlot, int outputSlot, IReadOnlyList<GraphNode> nodes, IReadOnlyDictionary<int, double[]> constants)
{
    public int InputCount { get; } = inputs;

    public int OutputCount { get; } = outputs;

    public int NodeCount => nodes.Count;

    // The hot methods are compiled fully optimized at once: with tiered compilation they stayed in their
    // first, unoptimized tier for thousands of calls in a cycle loop and took half of every kiln solve.

    // Every call asks for the same sequence of arrays, so each thread keeps its arrays from one call to the next
    // instead of allocating some 60 KB per call with second derivatives; results are copied out.
    private readonly ThreadLocal<Arena> _scratch = new(() => new Arena());

    private Arena Scratch => _scratch.Value!;

    /// <summary>Number of distinct second derivatives per output: the packed lower triangle, (r, c ≤ r) at r(r+1)/2 + c.</summary>
    public int Pairs => InputCount * (InputCount + 1) / 2;

    /// <summary>Outputs and d(outputs)/d(inputs) (outputs × inputs, row-major) at one scaled input row.</summary>
    public (double[] Values, double[] Jacobian) Evaluate(ReadOnlySpan<double> input)
    {
        var output = Run(input, second: false);
        return ([.. output.Value], output.Jacobian is { } jacobian ? [.. jacobian] : new double[OutputCount * InputCount]);
    }

    /// <summary>Like <see cref="Evaluate"/>, plus each output's packed second derivatives (outputs × <see cref="Pairs"/>).</summary>
    public (double[] Values, double[] Jacobian, double[] Hessian) EvaluateWithCurvature(ReadOnlySpan<double> input)
    {
        var output = Run(input, second: true);
        return ([.. output.Value], output.Jacobian is { } jacobian ? [.. jacobian] : new double[OutputCount * InputCount],
            output.Hessian is { } hessian ? [.. hessian] : new double[OutputCount * Pairs]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dual Run(ReadOnlySpan<double> input, bool second)
    {
        var slots = new Dual?[slotCount];
        foreach (var (slot, value) in constants)
        {
            slots[slot] = new Dual(value, null);
        }

        Scratch.Reset();
        var identity = Scratch.Take(InputCount * InputCount);
        for (var k = 0; k < InputCount; k++)
        {
            identity[(k * InputCount) + k] = 1;
        }

        var inputs = Scratch.Take(InputCount);
        input.CopyTo(inputs);
        slots[inputSlot] = new Dual(inputs, identity, second ? Scratch.Take(InputCount * Pairs) : null);
        foreach (var node in nodes)
        {
            var args = new Dual?[node.Inputs.Length];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = node.Inputs[i] < 0 ? null : slots[node.Inputs[i]];
            }

            slots[node.Outputs[0]] = Apply(node, args);
        }

        var output = slots[outputSlot] ?? throw new UnsupportedGraphException("the graph output is never computed");
        return output.Length != OutputCount
            ? throw new UnsupportedGraphException($"the graph output has {output.Length} values, expected {OutputCount}")
            : output;
    }

    // Second partials of the elementwise operations, (d²f/da², d²f/da db, d²f/db²); null where all are zero.
    private static readonly Func<double, double, (double, double, double)> ProductCurvature = (_, _) => (0, 1, 0);
    private static readonly Func<double, double, (double, double, double)> QuotientCurvature = (a, b) => (0, -1 / (b * b), 2 * a / (b * b * b));

    private Dual Apply(GraphNode node, Dual?[] args) => node.OpType switch
    {
        "Gemm" => Linear(node, Required(args, 0, node), Required(args, 1, node), args.Length > 2 ? args[2] : null,
            node.Attribute("alpha", 1), node.Attribute("beta", 1), node.Attribute("transB", 0) != 0, node),
        "MatMul" => Linear(node, Required(args, 0, node), Required(args, 1, node), null, 1, 1, transposed: false, node),
        "Add" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a + b, (_, _) => 1, (_, _) => 1, null),
        "Sub" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a - b, (_, _) => 1, (_, _) => -1, null),
        "Mul" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a * b, (_, b) => b, (a, _) => a, ProductCurvature),
        "Div" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a / b, (_, b) => 1 / b, (a, b) => -a / (b * b), QuotientCurvature),
        "Relu" => Unary(Required(args, 0, node), x => Math.Max(0, x), x => x > 0 ? 1 : 0, _ => 0),
        "LeakyRelu" => LeakyRelu(Required(args, 0, node), node.Attribute("alpha", 0.01)),
        "Sigmoid" => Unary(Required(args, 0, node), Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x)), x => Sigmoid(x) * (1 - Sigmoid(x)) * (1 - (2 * Sigmoid(x)))),
        "Tanh" => Unary(Required(args, 0, node), Math.Tanh, x => 1 - (Math.Tanh(x) * Math.Tanh(x)), x => -2 * Math.Tanh(x) * (1 - (Math.Tanh(x) * Math.Tanh(x)))),
        "Softplus" => Unary(Required(args, 0, node), x => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)), Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x))),
        "Erf" => Unary(Required(args, 0, node), SpecialFunctions.Erf, ErfSlope, x => -2 * x * ErfSlope(x)),
        "BatchNormalization" => BatchNorm(node, args),
        "Dropout" or "Identity" or "Flatten" or "Reshape" or "Squeeze" or "Unsqueeze" => Required(args, 0, node),
        "Concat" => Concat(args.OfType<Dual>().ToArray()),
        _ => throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) is not supported"),
    };

    private static double ErfSlope(double x) => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);

    private static Dual Required(Dual?[] args, int index, GraphNode node) =>
        index < args.Length && args[index] is { } value ? value : throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) lacks input {index}");

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // y = alpha · x·W + beta · c, with W held as [in, out] (or [out, in] when transposed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dual Linear(GraphNode node, Dual x, Dual weights, Dual? bias, double alpha, double beta, bool transposed, GraphNode where)
    {
        if (!weights.IsConstant || x.IsConstant || node.Attribute("transA", 0) != 0)
        {
            throw new UnsupportedGraphException($"node '{where.Name}' ({where.OpType}) multiplies two computed tensors or transposes its input");
        }

        var rows = x.Length;
        if (weights.Length % rows != 0)
        {
            throw new UnsupportedGraphException($"node '{where.Name}' ({where.OpType}): weights of {weights.Length} values do not fit an input of {rows}");
        }

        var columns = weights.Length / rows;
        var n = InputCount;
        var pairs = Pairs;
        var value = Scratch.Take(columns);
        var jacobian = Scratch.Take(columns * n);
        var hessian = x.Hessian is null ? null : Scratch.Take(columns * pairs);
        for (var j = 0; j < columns; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < rows; i++)
            {
                var w = alpha * (transposed ? weights.Value[(j * rows) + i] : weights.Value[(i * columns) + j]);
                sum += w * x.Value[i];
                for (var k = 0; k < n; k++)
                {
                    jacobian[(j * n) + k] += w * x.Jacobian![(i * n) + k];
                }

                // The map is linear: second derivatives pass through it like the values.
                for (var p = 0; hessian is not null && p < pairs; p++)
                {
                    hessian[(j * pairs) + p] += w * x.Hessian![(i * pairs) + p];
                }
            }

            value[j] = sum + (bias is null ? 0 : beta * bias.At(j));
        }

        return new Dual(value, jacobian, hessian);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dual Elementwise(
        Dual a, Dual b, Func<double, double, double> f, Func<double, double, double> dfa, Func<double, double, double> dfb,
        Func<double, double, (double Aa, double Ab, double Bb)>? curvature)
    {
        var length = Math.Max(a.Length, b.Length);
        if ((a.Length != length && a.Length != 1) || (b.Length != length && b.Length != 1))
        {
            throw new UnsupportedGraphException($"cannot broadcast {a.Length} values with {b.Length}");
        }

        var (n, pairs) = (InputCount, Pairs);
        var value = Scratch.Take(length);
        var jacobian = a.IsConstant && b.IsConstant ? null : Scratch.Take(length * n);
        var hessian = jacobian is not null && (a.Hessian is not null || b.Hessian is not null) ? Scratch.Take(length * pairs) : null;
        // Each element's first derivatives, copied once: the second-order loop reads every pair of them.
        var (ja, jb) = (Scratch.Take(n), Scratch.Take(n));
        for (var i = 0; i < length; i++)
        {
            double x = a.At(i), y = b.At(i);
            value[i] = f(x, y);
            if (jacobian is null)
            {
                continue;
            }

            double da = a.IsConstant ? 0 : dfa(x, y), db = b.IsConstant ? 0 : dfb(x, y);
            for (var k = 0; k < n; k++)
            {
                (ja[k], jb[k]) = (a.DerivativeAt(i, k, n), b.DerivativeAt(i, k, n));
                jacobian[(i * n) + k] = (da * ja[k]) + (db * jb[k]);
            }

            if (hessian is null)
            {
                continue;
            }

            var (aa, ab, bb) = curvature?.Invoke(x, y) ?? (0, 0, 0);
            for (int r = 0, p = 0; r < n; r++)
            {
                for (var c = 0; c <= r; c++, p++)
                {
                    hessian[(i * pairs) + p] = (da * a.SecondAt(i, p, pairs)) + (db * b.SecondAt(i, p, pairs))
                        + (aa * ja[r] * ja[c]) + (ab * ((ja[r] * jb[c]) + (jb[r] * ja[c]))) + (bb * jb[r] * jb[c]);
                }
            }
        }

        return new Dual(value, jacobian, hessian);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dual Unary(Dual x, Func<double, double> f, Func<double, double> df, Func<double, double> d2f)
    {
        var (n, pairs) = (InputCount, Pairs);
        var value = Scratch.Take(x.Length);
        var jacobian = x.IsConstant ? null : Scratch.Take(x.Length * n);
        var hessian = x.Hessian is null ? null : Scratch.Take(x.Length * pairs);
        for (var i = 0; i < x.Length; i++)
        {
            value[i] = f(x.Value[i]);
            if (jacobian is null)
            {
                continue;
            }

            var d = df(x.Value[i]);
            for (var k = 0; k < n; k++)
            {
                jacobian[(i * n) + k] = d * x.Jacobian![(i * n) + k];
            }

            if (hessian is null)
            {
                continue;
            }

            // Chain rule, second order: f''·∂x/∂r·∂x/∂c + f'·∂²x/∂r∂c.
            var d2 = d2f(x.Value[i]);
            for (int r = 0, p = 0; r < n; r++)
            {
                for (var c = 0; c <= r; c++, p++)
                {
                    hessian[(i * pairs) + p] = (d2 * x.Jacobian![(i * n) + r] * x.Jacobian[(i * n) + c]) + (d * x.Hessian![(i * pairs) + p]);
                }
            }
        }

        return new Dual(value, jacobian, hessian);
    }

    private Dual LeakyRelu(Dual x, double alpha) => Unary(x, v => v > 0 ? v : alpha * v, v => v > 0 ? 1 : alpha, _ => 0);

    // Inference-mode batch normalization is a per-feature affine map, y = slope·x + offset; the reader folds
    // the four parameter tensors into those two once, when every one of them is a constant.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dual BatchNorm(GraphNode node, Dual?[] args)
    {
        var x = Required(args, 0, node);
        var (slope, offset) = node.Tensors.TryGetValue(GraphNode.FoldedSlope, out var s) && node.Tensors.TryGetValue(GraphNode.FoldedOffset, out var o)
            ? (s, o)
            : Fold(node, args, x.Length);
        if (slope.Length != x.Length)
        {
            throw new UnsupportedGraphException($"node '{node.Name}' (BatchNormalization) has {slope.Length} channels for {x.Length} features");
        }

        var (n, pairs) = (InputCount, Pairs);
        var value = Scratch.Take(x.Length);
        var jacobian = x.IsConstant ? null : Scratch.Take(x.Length * n);
        var hessian = x.Hessian is null ? null : Scratch.Take(x.Length * pairs);
        for (var i = 0; i < x.Length; i++)
        {
            value[i] = (slope[i] * x.Value[i]) + offset[i];
            for (var k = 0; jacobian is not null && k < n; k++)
            {
                jacobian[(i * n) + k] = slope[i] * x.Jacobian![(i * n) + k];
            }

            for (var p = 0; hessian is not null && p < pairs; p++)
            {
                hessian[(i * pairs) + p] = slope[i] * x.Hessian![(i * pairs) + p];
            }
        }

        return new Dual(value, jacobian, hessian);
    }

    private static (double[] Slope, double[] Offset) Fold(GraphNode node, Dual?[] args, int length)
    {
        var (scale, shift, mean, variance) = (Required(args, 1, node), Required(args, 2, node), Required(args, 3, node), Required(args, 4, node));
        return GraphNode.FoldBatchNorm(scale.Value, shift.Value, mean.Value, variance.Value, node.Attribute("epsilon", 1e-5), length);
    }

    private Dual Concat(Dual[] parts)
    {
        var (n, pairs) = (InputCount, Pairs);
        var value = parts.SelectMany(p => p.Value).ToArray();
        var jacobian = Scratch.Take(value.Length * n);
        var hessian = parts.Any(p => p.Hessian is not null) ? Scratch.Take(value.Length * pairs) : null;
        var row = 0;
        foreach (var part in parts)
        {
            part.Jacobian?.CopyTo(jacobian, row * n);
            if (hessian is not null)
            {
                part.Hessian?.CopyTo(hessian, row * pairs);
            }

            row += part.Length;
        }

        return new Dual(value, jacobian, hessian);
    }

    /// <summary>Zeroed arrays handed out in call order and reused by position in the next call.</summary>
    private sealed class Arena
    {
        private readonly List<double[]> _arrays = [];
        private int _next;

        public void Reset() => _next = 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double[] Take(int length)
        {
            if (_next < _arrays.Count && _arrays[_next].Length == length)
            {
                var reused = _arrays[_next++];
                Array.Clear(reused);
                return reused;
            }

            var fresh = new double[length];
            if (_next < _arrays.Count)
            {
                _arrays[_next] = fresh;
            }
            else
            {
                _arrays.Add(fresh);
            }

            _next++;
            return fresh;
        }
    }
}
