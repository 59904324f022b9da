using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// A program with one variable t per epigraph term appended after the decisions: the cost gains
/// <c>Σ weight·t</c>, and each of the inner program's last rows r (from <paramref name="firstRow"/> on) becomes
/// <c>t − r(x) ≥ 0</c> for its term's t. The inner program computes the rows r(x) themselves.
/// </summary>
/// <param name="termOfRow">For each epigraph row, the index of its term.</param>
internal sealed class EpigraphProgram(CompositionProgram inner, int firstRow, int[] termOfRow, double[] weights, double[] floors) : INonlinearProgram
{
    private readonly int _n = inner.Shape.VariableCount;
    private readonly double[] _jacobian = new double[inner.Shape.VariableCount * inner.Shape.ConstraintCount];
    private readonly double[] _multipliers = new double[inner.Shape.ConstraintCount];

    public ProgramShape Shape { get; } = Widen(inner, firstRow, termOfRow, weights.Length, floors);

    public bool HasExactHessian => inner.HasExactHessian;

    public double Objective(ReadOnlySpan<double> x)
    {
        var value = inner.Objective(x[.._n]);
        for (var k = 0; k < weights.Length; k++)
        {
            value += weights[k] * x[_n + k];
        }

        return value;
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        inner.ObjectiveGradient(x[.._n], gradient[.._n]);
        weights.CopyTo(gradient[_n..]);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        inner.Constraints(x[.._n], values);
        for (var j = firstRow; j < values.Length; j++)
        {
            values[j] = x[_n + termOfRow[j - firstRow]] - values[j];
        }
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        inner.ConstraintJacobian(x[.._n], _jacobian);
        var wide = x.Length;
        values.Clear();
        for (var j = 0; j < _multipliers.Length; j++)
        {
            var row = values.Slice(j * wide, wide);
            var source = _jacobian.AsSpan(j * _n, _n);
            if (j < firstRow)
            {
                source.CopyTo(row);
                continue;
            }

            for (var i = 0; i < _n; i++)
            {
                row[i] = -source[i];
            }

            row[_n + termOfRow[j - firstRow]] = 1;
        }
    }

    // t enters linearly, so the Hessian is the inner one (with each epigraph row's sign turned) padded with zeros:
    // the packed lower triangle of the first n variables comes first.
    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        for (var j = 0; j < _multipliers.Length; j++)
        {
            _multipliers[j] = j < firstRow ? multipliers[j] : -multipliers[j];
        }

        values.Clear();
        inner.LagrangianHessian(x[.._n], objectiveFactor, _multipliers, values[..(_n * (_n + 1) / 2)]);
    }

    private static ProgramShape Widen(CompositionProgram inner, int firstRow, int[] termOfRow, int terms, double[] floors)
    {
        var shape = inner.Shape;
        var rows = new double[shape.ConstraintCount];
        inner.Constraints(shape.Start, rows);
        // Each t starts on its largest row, the value the term has at the start.
        var start = floors.ToArray();
        for (var j = firstRow; j < rows.Length; j++)
        {
            start[termOfRow[j - firstRow]] = Math.Max(start[termOfRow[j - firstRow]], rows[j]);
        }

        return new ProgramShape(
            [.. shape.Start, .. start],
            [.. shape.LowerBounds, .. floors],
            [.. shape.UpperBounds, .. Enumerable.Repeat(double.PositiveInfinity, terms)],
            [.. shape.ConstraintLower[..firstRow], .. Enumerable.Repeat(0.0, rows.Length - firstRow)],
            [.. shape.ConstraintUpper[..firstRow], .. Enumerable.Repeat(double.PositiveInfinity, rows.Length - firstRow)]);
    }
}
