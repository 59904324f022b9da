using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// A program with one variable t per epigraph term appended after the decisions: the cost gains
/// <c>Σ weight·t</c>, and each of the inner program's last rows r (from the first epigraph row on) becomes
/// <c>t − r(x) ≥ 0</c> for its term's t. The inner program computes the rows r(x) themselves.
/// </summary>
internal sealed class EpigraphProgram : INonlinearProgram
{
    private readonly CompositionProgram _inner;
    private readonly int _firstRow;
    private readonly int[] _termOfRow;
    private readonly double[] _weights;
    private readonly int _n;
    private readonly int _innerEntries;
    private readonly bool[] _negated;
    private readonly double[] _multipliers;

    /// <param name="termOfRow">For each epigraph row, the index of its term.</param>
    public EpigraphProgram(CompositionProgram inner, int firstRow, int[] termOfRow, double[] weights, double[] floors)
    {
        (_inner, _firstRow, _termOfRow, _weights) = (inner, firstRow, termOfRow, weights);
        _n = inner.Shape.VariableCount;
        _multipliers = new double[inner.Shape.ConstraintCount];
        Shape = Widen(inner, firstRow, termOfRow, weights.Length, floors);
        // The inner rows keep their entries (an epigraph row's turned), and each epigraph row gains its t, after them.
        var structure = inner.JacobianStructure;
        _innerEntries = structure.Count;
        _negated = [.. structure.Rows.Select(r => r >= firstRow)];
        var rows = Enumerable.Range(firstRow, termOfRow.Length).ToArray();
        JacobianStructure = new SparsityPattern([.. structure.Rows, .. rows], [.. structure.Columns, .. rows.Select(r => _n + termOfRow[r - firstRow])]);
    }

    public ProgramShape Shape { get; }

    public bool HasExactHessian => _inner.HasExactHessian;

    public SparsityPattern JacobianStructure { get; }

    // t enters linearly: the Hessian is the inner one, over the first n variables, with each epigraph row's sign turned.
    public SparsityPattern HessianStructure => _inner.HessianStructure;

    public double Objective(ReadOnlySpan<double> x)
    {
        var value = _inner.Objective(x[.._n]);
        for (var k = 0; k < _weights.Length; k++)
        {
            value += _weights[k] * x[_n + k];
        }

        return value;
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        _inner.ObjectiveGradient(x[.._n], gradient[.._n]);
        _weights.CopyTo(gradient[_n..]);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        _inner.Constraints(x[.._n], values);
        for (var j = _firstRow; j < values.Length; j++)
        {
            values[j] = x[_n + _termOfRow[j - _firstRow]] - values[j];
        }
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        _inner.ConstraintJacobian(x[.._n], values[.._innerEntries]);
        for (var k = 0; k < _innerEntries; k++)
        {
            if (_negated[k])
            {
                values[k] = -values[k];
            }
        }

        values[_innerEntries..].Fill(1);
    }

    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        for (var j = 0; j < _multipliers.Length; j++)
        {
            _multipliers[j] = j < _firstRow ? multipliers[j] : -multipliers[j];
        }

        _inner.LagrangianHessian(x[.._n], objectiveFactor, _multipliers, values);
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
