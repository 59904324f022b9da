namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// The structural non-zeros of a matrix: entry k sits at (<see cref="Rows"/>[k], <see cref="Columns"/>[k]), and a
/// program writes its values in this order. Entries outside the pattern are zero everywhere.
/// </summary>
/// <remarks>Immutable by convention: a program returns the same pattern for the whole solve.</remarks>
public sealed record SparsityPattern(int[] Rows, int[] Columns)
{
    /// <summary>The pattern without entries.</summary>
    public static SparsityPattern Empty { get; } = new([], []);

    public int Count => Rows.Length;

    /// <summary>Every entry of a rows × columns matrix, row by row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The matrix has more entries than an array holds.</exception>
    public static SparsityPattern Dense(int rows, int columns)
    {
        var count = Count32((long)rows * columns, "a dense matrix");
        var (r, c) = (new int[count], new int[count]);
        for (var k = 0; k < count; k++)
        {
            (r[k], c[k]) = (k / columns, k % columns);
        }

        return new SparsityPattern(r, c);
    }

    /// <summary>The lower triangle of an n × n matrix, row by row: (0,0), (1,0), (1,1), (2,0), …</summary>
    /// <exception cref="ArgumentOutOfRangeException">The triangle has more entries than an array holds.</exception>
    public static SparsityPattern LowerTriangle(int n)
    {
        var count = Count32((long)n * (n + 1) / 2, "a dense triangle");
        var (r, c) = (new int[count], new int[count]);
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++, k++)
            {
                (r[k], c[k]) = (i, j);
            }
        }

        return new SparsityPattern(r, c);
    }

    /// <summary>A size counted in 64 bits, refused when an array (and IPOPT's 32-bit index) cannot hold it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> exceeds <see cref="Array.MaxLength"/>.</exception>
    public static int Count32(long count, string what) => count <= Array.MaxLength
        ? (int)count
        : throw new ArgumentOutOfRangeException(nameof(count), count, $"{what} of {count:N0} entries is more than one array holds ({Array.MaxLength:N0})");
}
