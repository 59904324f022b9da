using System.Buffers;
using System.Collections.Concurrent;
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
/// answers stay the ones recorded; a large one gets the sparsity it needs. One per solve: its scratch is rented
/// from the shared array pool and given back by <see cref="Return"/> when the solve is over.
/// </remarks>
internal readonly struct Declaration
{
    /// <summary>Programs of at most this many variables are declared in full.</summary>
    public const int FullUpTo = 32;

    // Full patterns are immutable and depend only on the sizes, so solves share them; the bound keeps a process
    // that sees many sizes from keeping them all.
    private const int MaxFullPatterns = 256;
    private static readonly ConcurrentDictionary<(int Rows, int Columns, bool Triangle), SparsityPattern> FullPatterns = new();

    private readonly int[]? _positions;
    private readonly double[]? _scratch;
    private readonly int _count;

    private Declaration(SparsityPattern pattern, int[]? positions, double[]? scratch, int count)
    {
        Pattern = pattern;
        (_positions, _scratch, _count) = (positions, scratch, count);
    }

    /// <summary>The pattern IPOPT is given.</summary>
    public SparsityPattern Pattern { get; }

    /// <param name="program">The program's pattern, already checked to lie inside the matrix (and triangle).</param>
    public static Declaration Of(SparsityPattern program, int rows, int columns, bool triangle)
    {
        if (columns > FullUpTo || program.Count == 0)
        {
            return new Declaration(program, null, null, program.Count);
        }

        var positions = ArrayPool<int>.Shared.Rent(program.Count);
        for (var k = 0; k < program.Count; k++)
        {
            var (r, c) = (program.Rows[k], program.Columns[k]);
            positions[k] = triangle ? (r * (r + 1) / 2) + c : (r * columns) + c;
        }

        // A rented array holds what its last user left: the program's first call sees zeros, as with a new one.
        var scratch = ArrayPool<double>.Shared.Rent(program.Count);
        Array.Clear(scratch, 0, program.Count);
        return new Declaration(Full(rows, columns, triangle), positions, scratch, program.Count);
    }

    /// <summary>Where the program writes its values for IPOPT's <paramref name="declared"/> array.</summary>
    public Span<double> Target(Span<double> declared) => _scratch is null ? declared : _scratch.AsSpan(0, _count);

    /// <summary>Places what the program wrote into <paramref name="declared"/>; nothing to do when declared as given.</summary>
    public void Finish(Span<double> declared)
    {
        if (_positions is null || _scratch is null)
        {
            return;
        }

        declared.Clear();
        for (var k = 0; k < _count; k++)
        {
            declared[_positions[k]] += _scratch[k];
        }
    }

    /// <summary>Gives the scratch back; the declaration is not used again.</summary>
    public void Return()
    {
        if (_positions is not null)
        {
            ArrayPool<int>.Shared.Return(_positions);
        }

        if (_scratch is not null)
        {
            ArrayPool<double>.Shared.Return(_scratch);
        }
    }

    private static SparsityPattern Full(int rows, int columns, bool triangle)
    {
        if (FullPatterns.TryGetValue((rows, columns, triangle), out var kept))
        {
            return kept;
        }

        var full = triangle ? SparsityPattern.LowerTriangle(columns) : SparsityPattern.Dense(rows, columns);
        return FullPatterns.Count < MaxFullPatterns ? FullPatterns.GetOrAdd((rows, columns, triangle), full) : full;
    }
}
