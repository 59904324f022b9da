using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// How one of a program's sparse matrices is declared to IPOPT: as the program gives it, or, for a small program,
/// in full (every entry of the Jacobian, the whole lower triangle of the Hessian) with the entries outside the
/// program's pattern held at zero.
/// </summary>
/// <remarks>
/// Structural zeros change the order in which MUMPS pivots, and with it IPOPT's path on degenerate problems (a
/// start where a constraint's gradient vanishes): a small problem declared sparse can end at another KKT point than
/// it did when every program was dense. For a small problem the full declaration costs nothing measurable, so its
/// answers stay the ones recorded; a large one gets the sparsity it needs. Not thread-safe: one per solve.
/// </remarks>
internal sealed class Declaration
{
    /// <summary>Programs of at most this many variables are declared in full.</summary>
    public const int FullUpTo = 32;

    private readonly int[]? _positions;
    private readonly double[] _scratch = [];

    private Declaration(SparsityPattern pattern, int[]? positions, int entries)
    {
        Pattern = pattern;
        _positions = positions;
        if (positions is not null)
        {
            _scratch = new double[entries];
        }
    }

    /// <summary>The pattern IPOPT is given.</summary>
    public SparsityPattern Pattern { get; }

    /// <param name="program">The program's pattern, already checked to lie inside the matrix (and triangle).</param>
    public static Declaration Of(SparsityPattern program, int rows, int columns, bool triangle)
    {
        if (columns > FullUpTo || program.Count == 0)
        {
            return new Declaration(program, null, program.Count);
        }

        var full = triangle ? SparsityPattern.LowerTriangle(columns) : SparsityPattern.Dense(rows, columns);
        var positions = new int[program.Count];
        for (var k = 0; k < positions.Length; k++)
        {
            var (r, c) = (program.Rows[k], program.Columns[k]);
            positions[k] = triangle ? (r * (r + 1) / 2) + c : (r * columns) + c;
        }

        return new Declaration(full, positions, program.Count);
    }

    /// <summary>Where the program writes its values for IPOPT's <paramref name="declared"/> array.</summary>
    public Span<double> Target(Span<double> declared) => _positions is null ? declared : _scratch;

    /// <summary>Places what the program wrote into <paramref name="declared"/>; nothing to do when declared as given.</summary>
    public void Finish(Span<double> declared)
    {
        if (_positions is null)
        {
            return;
        }

        declared.Clear();
        for (var k = 0; k < _positions.Length; k++)
        {
            declared[_positions[k]] += _scratch[k];
        }
    }
}
